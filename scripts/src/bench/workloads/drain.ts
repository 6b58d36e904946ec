import type { Pool } from '@taskforge/core';
import { checkDrain } from '../checks.js';
import { checkpoint, resetTables } from '../database.js';
import { DrainWatcher } from '../drain-watcher.js';
import { SCRIPTS, Service, stopAll } from '../processes.js';
import { checkExits, usageOf, type BenchContext, type RunResult } from '../types.js';
import { UsageMeter } from '../usage-meter.js';

export interface DrainParams {
  /** Tasks pre-enqueued and drained. */
  tasks: number;
  /** Worker processes started at once. */
  workers: number;
  /** Finished (completed) tasks put in the table first, as the history of a long-lived system. */
  history: number;
  /** For WORKER_ID: bench-<label>-r<run>-w<n>. */
  label: string;
}

/**
 * Drains `tasks` pre-enqueued `noop` tasks with worker processes started as users start them
 * (`node apps/workers/dist/main.js`, configured by the environment). The clock runs from the
 * spawn of the first worker (so it includes start-up) until no task is left unfinished.
 */
export async function drain(context: BenchContext, run: number, params: DrainParams, warn: (message: string) => void): Promise<RunResult> {
  const { admin } = context;
  await resetTables(admin);
  const historySetup = params.history > 0 ? await insertHistory(admin, params.history) : undefined;
  const since = await databaseNow(admin);
  // No ANALYZE after this bulk insert (E's only comes before it): A sees the table as a bulk
  // load leaves it until autovacuum analyzes it. On a never-analyzed table the claim query is
  // planned as bitmap scans + a sort of every due row, several times slower than on an
  // analyzed one; `ANALYZE tasks` here would measure the steady state instead.
  await admin.query(`insert into tasks (task_name, max_retries) select 'noop', 0 from generate_series(1, $1)`, [params.tasks]);
  await checkpoint(admin);

  const watcher = await DrainWatcher.open(context.url);
  const workers: Array<Service & { port: number }> = [];
  try {
    const usage = await UsageMeter.start(admin);
    const started = performance.now();
    for (let n = 1; n <= params.workers; n++) {
      workers.push(
        await Service.start(
          `worker-${n}`,
          SCRIPTS.worker,
          {
            DATABASE_URL: context.url,
            WORKER_MAX_CONCURRENT_TASKS: '10',
            WORKER_ID: `bench-${params.label}-r${run}-w${n}`,
            LOG_LEVEL: 'warn',
          },
          'WORKER_PORT',
        ),
      );
    }
    const deaths = workers.map((worker) => worker.died);
    // Start-up (spawn until /health answers) is part of the timed drain; measured on the side,
    // one poll every 20 ms until the first answer, so it can be told apart from claiming.
    const startup = Promise.all(workers.map((worker) => worker.waitForHttp(`http://127.0.0.1:${worker.port}/health`)));
    startup.catch(() => undefined);
    const finished = await watcher.waitUntilDrained({ timeoutMs: 120_000 + params.tasks * 10, failures: deaths });
    const seconds = (finished - started) / 1_000;
    const startupMs = Math.max(...(await startup));
    const cpu = await usage.finish();
    const stopped = await stopAll(workers.splice(0));
    checkExits(stopped, warn);
    const checks = await checkDrain(admin, since, params.tasks);
    return {
      tasks_per_s: params.tasks / seconds,
      ...checks,
      ...usageOf(stopped, cpu),
      seconds,
      startup_ms: startupMs,
      // Throughput once the workers were up: what claiming and completing alone achieve.
      tasks_per_s_after_startup: params.tasks / (seconds - startupMs / 1_000),
      ...(historySetup ? { history_rows: params.history, history_setup_s: historySetup } : {}),
    };
  } finally {
    await stopAll(workers);
    await watcher.close();
  }
}

/**
 * A long-lived system's history: `rows` completed tasks spread over the past, inserted with one
 * generate_series INSERT, then VACUUM ANALYZE (as autovacuum would have done by then).
 * Returns the seconds it took.
 */
async function insertHistory(admin: Pool, rows: number): Promise<number> {
  const started = performance.now();
  await admin.query(
    `insert into tasks (task_name, status, scheduled_at, attempts, max_retries, created_at, updated_at, started_at, finished_at)
     select 'noop', 'completed', at, 1, 0, at, at + interval '5 ms', at, at + interval '5 ms'
       from (select now() - i * interval '1 second' as at from generate_series(1, $1) as i) as past`,
    [rows],
  );
  await admin.query('vacuum analyze tasks');
  return (performance.now() - started) / 1_000;
}

/** As text: a JS Date would drop the microseconds. */
async function databaseNow(admin: Pool): Promise<string> {
  const { rows } = await admin.query<{ now: string }>('select now()::text as now');
  return rows[0]!.now;
}
