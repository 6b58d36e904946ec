import { setTimeout as sleep } from 'node:timers/promises';
import { databaseClockOffset, wallClockMs } from '../clock.js';
import { resetTables } from '../database.js';
import { SCRIPTS, Service, stopAll } from '../processes.js';
import { readCpuSeconds } from '../proc-stats.js';
import { median } from '../stats.js';
import type { BenchContext, RunResult } from '../types.js';

/** Processes started per run, each side: medians of these are the run's figures. */
export const STARTUP_SPAWNS = 5;
/** How often the bench looks: the figures' resolution, except the first claim's (exact, below). */
const POLL_MS = 2;

/**
 * S: start-up, as a user starts the services (`node apps/workers/dist/main.js`,
 * `node apps/api/dist/main.js`), one process at a time on an idle machine's quiet database.
 * - worker, spawn → first claim: one due `noop` task waits; its started_at (set by the claim, on
 *   PostgreSQL's clock, converted to the bench's) minus the moment before spawn. Exact.
 * - worker, spawn → /health answering 200, and the CPU the process used by then (/proc).
 * - API, spawn → GET /monitor/health answering 200, and its CPU by then.
 */
export async function startup(context: BenchContext, run: number): Promise<RunResult> {
  const worker: WorkerStart[] = [];
  const api: ApiStart[] = [];
  for (let i = 0; i < STARTUP_SPAWNS; i++) {
    worker.push(await startWorker(context, `bench-S-r${run}-${i}`));
    api.push(await startApi(context));
  }
  const mid = (values: number[]) => median(values);
  return {
    first_claim_ms: mid(worker.map((w) => w.firstClaimMs)),
    health_ms: mid(worker.map((w) => w.healthMs)),
    worker_cpu_at_ready_s: mid(worker.map((w) => w.cpuSeconds)),
    api_ready_ms: mid(api.map((a) => a.readyMs)),
    api_cpu_at_ready_s: mid(api.map((a) => a.cpuSeconds)),
    duplicates: 0,
    missing: worker.filter((w) => Number.isNaN(w.firstClaimMs)).length,
    peak_rss_mb: null,
  };
}

interface WorkerStart {
  firstClaimMs: number;
  healthMs: number;
  /** CPU at whichever came later, the first claim or /health. */
  cpuSeconds: number;
}

async function startWorker(context: BenchContext, workerId: string): Promise<WorkerStart> {
  const { admin } = context;
  await resetTables(admin);
  const {
    rows: [task],
  } = await admin.query<{ id: string }>(`insert into tasks (task_name, max_retries) values ('noop', 0) returning id`);
  const clock = await databaseClockOffset(admin);
  const spawnedAt = wallClockMs();
  const service = await Service.start(
    'worker',
    SCRIPTS.worker,
    { DATABASE_URL: context.url, WORKER_ID: workerId, LOG_LEVEL: 'warn' },
    'WORKER_PORT',
  );
  try {
    let healthMs: number | undefined;
    let claimedAt: number | undefined;
    while (healthMs === undefined || claimedAt === undefined) {
      if (healthMs === undefined && (await answers(`http://127.0.0.1:${service.port}/health`))) healthMs = wallClockMs() - spawnedAt;
      if (claimedAt === undefined) claimedAt = await startedAt(context, task!.id);
      if (wallClockMs() - spawnedAt > 30_000) throw new Error(`the worker neither claimed nor answered within 30 s:\n${service.output()}`);
      await Promise.race([sleep(POLL_MS), service.died]);
    }
    const cpuSeconds = readCpuSeconds(service.pid) ?? Number.NaN;
    return { firstClaimMs: claimedAt - clock.offsetMs - spawnedAt, healthMs, cpuSeconds };
  } finally {
    await stopAll([service]);
  }
}

interface ApiStart {
  readyMs: number;
  cpuSeconds: number;
}

async function startApi(context: BenchContext): Promise<ApiStart> {
  const spawnedAt = wallClockMs();
  const service = await Service.start('api', SCRIPTS.api, { DATABASE_URL: context.url, LOG_LEVEL: 'warn' }, 'API_PORT');
  try {
    while (!(await answers(`http://127.0.0.1:${service.port}/monitor/health`))) {
      if (wallClockMs() - spawnedAt > 30_000) throw new Error(`the API did not answer within 30 s:\n${service.output()}`);
      await Promise.race([sleep(POLL_MS), service.died]);
    }
    return { readyMs: wallClockMs() - spawnedAt, cpuSeconds: readCpuSeconds(service.pid) ?? Number.NaN };
  } finally {
    await stopAll([service]);
  }
}

async function answers(url: string): Promise<boolean> {
  return fetch(url, { signal: AbortSignal.timeout(1_000) }).then(
    async (response) => {
      await response.arrayBuffer();
      return response.ok;
    },
    () => false,
  );
}

/** The task's started_at on PostgreSQL's clock, in ms since the epoch; undefined until claimed. */
async function startedAt(context: BenchContext, id: string): Promise<number | undefined> {
  const { rows } = await context.admin.query<{ ms: string | null }>(
    `select (extract(epoch from started_at) * 1000)::text as ms from tasks where id = $1`,
    [id],
  );
  return rows[0]?.ms ? Number(rows[0].ms) : undefined;
}
