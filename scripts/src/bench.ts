import { randomBytes } from 'node:crypto';
import {
  addTask,
  createLogger,
  createPool,
  loadConfig,
  migrateUp,
  Worker,
  type Pool,
  type TaskFunction,
} from '@taskforge/core';
import { createScratchDatabase } from './scratch-database.js';
import { openDatabase, scriptLogger } from './with-database.js';

/**
 * `npm run bench`: throughput and latency of the engine on this machine, in a scratch
 * database that is dropped afterwards. Every drain is checked exactly-once.
 *   A: drain N pre-enqueued no-op tasks, one worker, concurrency 10
 *   B: N single enqueues (addTask), 10 in flight
 *   C: pickup latency of an idle worker, 300 tasks 20 ms apart (enqueue → handler start)
 * Options: --tasks N (default 20000), --runs R (default 3; medians are printed).
 */
const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 ? Number(args[index + 1]) : fallback;
};
const TASKS = option('tasks', 20_000);
const RUNS = option('runs', 3);
const silent = createLogger({ level: 'silent', name: 'bench' });

async function main(): Promise<void> {
  const config = loadConfig();
  const log = scriptLogger(config, 'bench');
  const database = await openDatabase(config, log);
  const scratch = await createScratchDatabase(database.url, 'taskforge_bench');
  const pool = createPool({ connectionString: scratch.url, max: 20 });
  try {
    await migrateUp(pool);
    const results: Record<string, number[]> = { A: [], B: [], 'C p50': [], 'C p99': [] };
    for (let run = 1; run <= RUNS; run++) {
      results.A!.push(await drain(pool, TASKS));
      results.B!.push(await singleEnqueues(pool, Math.min(TASKS, 5_000)));
      const latency = await pickupLatency(pool, 300);
      results['C p50']!.push(latency.p50);
      results['C p99']!.push(latency.p99);
      await pool.query('truncate tasks');
    }
    console.log(`A  drain ${TASKS} tasks, 1 worker, concurrency 10: ${median(results.A!).toFixed(0)} tasks/s`);
    console.log(`B  ${Math.min(TASKS, 5_000)} single enqueues, 10 in flight: ${median(results.B!).toFixed(0)} tasks/s`);
    console.log(
      `C  pickup latency (idle worker, poll ${POLL_MS} ms): p50 ${median(results['C p50']!).toFixed(1)} ms, p99 ${median(results['C p99']!).toFixed(1)} ms`,
    );
    console.log(`(medians of ${RUNS} runs; raw: ${JSON.stringify(results)})`);
  } finally {
    await pool.end();
    await scratch.drop();
    await database.embedded?.stop();
  }
}

const POLL_MS = 1_000;

function startWorker(pool: Pool, run: TaskFunction, concurrency = 10, pollIntervalMs = POLL_MS): Worker {
  const worker = new Worker({
    pool,
    workerId: `bench-${randomBytes(3).toString('hex')}`,
    handlers: { names: () => ['bench'], get: () => run },
    concurrency,
    pollIntervalMs,
    retry: { baseDelayMs: 1_000, maxDelayMs: 60_000 },
    logger: silent,
  });
  worker.start();
  return worker;
}

async function drain(pool: Pool, count: number): Promise<number> {
  await pool.query(`insert into tasks (task_name, max_retries) select 'bench', 0 from generate_series(1, $1)`, [count]);
  const runs = new Map<string, number>();
  let done = 0;
  let finished!: () => void;
  const allDone = new Promise<void>((resolve) => (finished = resolve));
  const started = performance.now();
  const worker = startWorker(pool, async (_payload, taskId) => {
    runs.set(taskId, (runs.get(taskId) ?? 0) + 1);
    if (++done === count) finished();
  });
  await allDone;
  await worker.stop();
  const seconds = (performance.now() - started) / 1_000;
  const { rows } = await pool.query(`select count(*)::int as n from tasks where status = 'completed'`);
  if (runs.size !== count || [...runs.values()].some((n) => n !== 1) || rows[0].n !== count) {
    throw new Error(`exactly-once check failed: ${runs.size} distinct runs, ${rows[0].n} completed of ${count}`);
  }
  await pool.query('truncate tasks');
  return count / seconds;
}

async function singleEnqueues(pool: Pool, count: number): Promise<number> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: 10 }, async () => {
      while (next++ < count) await addTask(pool, { task_name: 'bench-enqueue', max_retries: 0 });
    }),
  );
  return count / ((performance.now() - started) / 1_000);
}

async function pickupLatency(pool: Pool, count: number): Promise<{ p50: number; p99: number }> {
  const enqueuedAt = new Map<string, number>();
  const latencies: number[] = [];
  const worker = startWorker(pool, async (_payload, taskId) => {
    latencies.push(performance.now() - enqueuedAt.get(taskId)!);
  });
  for (let i = 0; i < count; i++) {
    const before = performance.now();
    const task = await addTask(pool, { task_name: 'bench', max_retries: 0 });
    enqueuedAt.set(task.id, before);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  while (latencies.length < count) await new Promise((resolve) => setTimeout(resolve, 50));
  await worker.stop();
  latencies.sort((a, b) => a - b);
  return { p50: latencies[Math.floor(count * 0.5)]!, p99: latencies[Math.floor(count * 0.99)]! };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
