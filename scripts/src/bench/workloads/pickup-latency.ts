import { setTimeout as sleep } from 'node:timers/promises';
import { addTask, createPool, TaskNotifier, type Pool, type Queryable } from '@taskforge/core';
import { checkExecutions } from '../checks.js';
import { databaseClockOffset, wallClockMs } from '../clock.js';
import { checkpoint, resetTables } from '../database.js';
import { apiClient, startApi } from '../http.js';
import { SCRIPTS, Service, stopAll } from '../processes.js';
import { percentile } from '../stats.js';
import { checkExits, usageOf, type BenchContext, type RunResult } from '../types.js';
import { UsageMeter } from '../usage-meter.js';

export const LATENCY_TASKS = 300;
export const LATENCY_GAP_MS = 20;
/** After the last submission, how long the stragglers may take before they count as missing. */
const SETTLE_TIMEOUT_MS = 60_000;

/**
 * C-core / C-http: pickup latency of an idle worker. 300 `record` tasks are submitted one at a
 * time, 20 ms apart (start to start); the fixture worker's `record` handler writes
 * clock_timestamp() into task_executions as its first act. Latency = that start minus the
 * bench's wall clock read just before the submitting call.
 */
export async function pickupLatency(
  context: BenchContext,
  run: number,
  via: 'core' | 'http',
  warn: (message: string) => void,
): Promise<RunResult> {
  const { admin } = context;
  await resetTables(admin);
  const services: Service[] = [];
  let pool: Pool | undefined;
  try {
    const worker = await Service.start(
      'worker',
      SCRIPTS.fixtureWorker,
      { DATABASE_URL: context.url, WORKER_MAX_CONCURRENT_TASKS: '10', WORKER_ID: `bench-C-${via}-r${run}`, LOG_LEVEL: 'warn' },
      'WORKER_PORT',
    );
    services.push(worker);
    const api = via === 'http' ? await startApi(context.url) : undefined;
    if (api) services.push(api);
    await worker.waitForHttp(`http://127.0.0.1:${worker.port}/health`);
    if (!(await waitForListener(admin, 10_000))) warn('the worker was not LISTENing for new tasks 10 s after start-up');

    let submit: () => Promise<string>;
    if (api) {
      const client = apiClient(api.baseUrl);
      submit = async () => (await client.submit({ task_name: 'record', max_retries: 0 })).id;
    } else {
      // As an application would: its pool (warm), and a TaskNotifier on the same pool.
      const appPool = (pool = createPool({ connectionString: context.url, max: 10, applicationName: 'taskforge-bench-app' }));
      await Promise.all(Array.from({ length: 10 }, () => appPool.query('select 1')));
      const notifier = new TaskNotifier(appPool);
      submit = async () => (await addTask(appPool, { task_name: 'record', max_retries: 0 }, { notifier })).id;
    }
    await checkpoint(admin);
    await sleep(500); // the worker's first claims found nothing: it is idle now
    const clock = await databaseClockOffset(admin);

    const submittedAt = new Map<string, number>();
    const deaths = services.map((service) => service.died);
    const usage = await UsageMeter.start(admin, services);
    const begin = performance.now();
    for (let i = 0; i < LATENCY_TASKS; i++) {
      await sleep(Math.max(0, begin + i * LATENCY_GAP_MS - performance.now()));
      const before = wallClockMs();
      const id = await Promise.race([submit(), ...deaths]);
      submittedAt.set(id, before);
    }
    const ids = [...submittedAt.keys()];
    const settled = await Promise.race([waitForCompletion(admin, ids, SETTLE_TIMEOUT_MS), ...deaths]);
    if (!settled) warn(`not every task completed within ${SETTLE_TIMEOUT_MS / 1_000} s of the last submission`);

    const starts = await firstStarts(admin, ids);
    const latencies = [...starts].map(([id, startedMs]) => startedMs - submittedAt.get(id)!);
    if (latencies.length === 0) throw new Error('no task started within the time allowed');
    const cpu = await usage.finish();
    const stopped = await stopAll(services.splice(0));
    checkExits(stopped, warn);
    return {
      p50_ms: percentile(latencies, 50),
      p95_ms: percentile(latencies, 95),
      p99_ms: percentile(latencies, 99),
      ...(await checkExecutions(admin, ids)),
      ...usageOf(stopped, cpu),
      min_ms: Math.min(...latencies),
      max_ms: Math.max(...latencies),
      clock_offset_ms: clock.offsetMs,
      clock_uncertainty_ms: clock.uncertaintyMs,
    };
  } finally {
    await stopAll(services);
    await pool?.end();
  }
}

/** True once the worker's listener connection has run LISTEN (see ChannelListener). */
async function waitForListener(db: Queryable, timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name like 'taskforge-listener%' and query ilike 'listen%'`,
    );
    if (rows[0]!.n > 0) return true;
    await sleep(50);
  }
  return false;
}

async function waitForCompletion(db: Queryable, ids: readonly string[], timeoutMs: number): Promise<boolean> {
  const deadline = performance.now() + timeoutMs;
  while (performance.now() < deadline) {
    const { rows } = await db.query<{ n: number }>(
      `select count(*)::int as n from tasks where id = any($1::uuid[]) and status = 'completed'`,
      [ids],
    );
    if (rows[0]!.n === ids.length) return true;
    await sleep(50);
  }
  return false;
}

/** The first handler start of each task, in ms since the epoch (microseconds kept). */
async function firstStarts(db: Queryable, ids: readonly string[]): Promise<Map<string, number>> {
  const { rows } = await db.query<{ task_id: string; ms: string }>(
    `select task_id::text, (extract(epoch from min(started_at)) * 1000)::text as ms
       from task_executions where task_id = any($1::uuid[]) group by task_id`,
    [ids],
  );
  return new Map(rows.map((row) => [row.task_id, Number(row.ms)]));
}
