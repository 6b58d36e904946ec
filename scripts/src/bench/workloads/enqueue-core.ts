import { addTask, createPool, TaskNotifier } from '@taskforge/core';
import { checkStored } from '../checks.js';
import { UsageMeter } from '../usage-meter.js';
import { checkpoint, resetTables } from '../database.js';
import { inParallel } from '../concurrency.js';
import type { BenchContext, RunResult } from '../types.js';

export const SINGLE_ENQUEUES = 5_000;
export const IN_FLIGHT = 10;

/**
 * B-core: single addTask calls from this process, as an application embedding the core would
 * make them: one pool (10 connections, the API's default pool size) and a TaskNotifier on it.
 */
export async function enqueueCore(context: BenchContext): Promise<RunResult> {
  await resetTables(context.admin);
  await checkpoint(context.admin);
  const pool = createPool({ connectionString: context.url, max: IN_FLIGHT, applicationName: 'taskforge-bench-app' });
  let notifyErrors = 0;
  const notifier = new TaskNotifier(pool, undefined, () => (notifyErrors += 1));
  try {
    // A running application's pool is warm: open its connections before the clock starts.
    await Promise.all(Array.from({ length: IN_FLIGHT }, () => pool.query('select 1')));
    const ids: string[] = [];
    const usage = await UsageMeter.start(context.admin);
    const started = performance.now();
    await inParallel(SINGLE_ENQUEUES, IN_FLIGHT, async () => {
      const task = await addTask(pool, { task_name: 'noop', max_retries: 3 }, { notifier });
      ids.push(task.id);
    });
    const seconds = (performance.now() - started) / 1_000;
    notifier.flush();
    await pool.query('select 1'); // lets the trailing NOTIFY go out before the pool closes
    const cpu = await usage.finish();
    return {
      tasks_per_s: SINGLE_ENQUEUES / seconds,
      ...(await checkStored(context.admin, ids)),
      peak_rss_mb: null,
      cpu_s: { ...cpu },
      seconds,
      notify_errors: notifyErrors,
    };
  } finally {
    await pool.end();
  }
}
