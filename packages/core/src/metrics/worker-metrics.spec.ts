import { describe, expect, it } from 'vitest';
import { metricValue, parseMetrics, type Sample } from '../../../../test/support/metrics-text.js';
import { handlers, untilAborted } from '../../../../test/support/task-functions.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { FAST_LEASES, useWorkerHarness } from '../../../../test/support/worker-harness.js';
import { PermanentTaskError } from '../errors.js';
import type { Worker } from '../worker/worker.js';
import { createMetricsRegistry, type Registry } from './metrics-registry.js';
import { createWorkerMetrics } from './worker-metrics.js';

describe('worker metrics (WorkerOptions.events → prom-client)', () => {
  const { db, startWorker, add, statusOf } = useWorkerHarness(FAST_LEASES);

  /** A worker reporting into a fresh registry. */
  function startMeasuredWorker(
    taskFunctions: Parameters<typeof handlers>[0],
    workerId = 'measured',
  ): { worker: Worker; registry: Registry } {
    const registry = createMetricsRegistry({ processMetrics: false });
    let worker: Worker | undefined;
    const events = createWorkerMetrics(registry, { running: () => worker?.runningCount ?? 0 });
    worker = startWorker({ workerId, handlers: handlers(taskFunctions), events });
    return { worker, registry };
  }

  async function scrape(registry: Registry): Promise<Sample[]> {
    return parseMetrics(await registry.metrics());
  }

  it('counts claims, completions, failures, retries and final failures, and times each attempt by task name', async () => {
    const { worker, registry } = startMeasuredWorker({
      ok: async () => 'fine',
      boom: async () => {
        throw new Error('always');
      },
      flaky: async (_payload, _id, { attempt }) => {
        if (attempt === 1) throw new Error('first time only');
      },
      doomed: async () => {
        throw new PermanentTaskError('never retry');
      },
    });
    const tasks = await Promise.all([
      add('ok'),
      add('ok'),
      add('ok'),
      add('boom', { maxRetries: 1 }),
      add('flaky', { maxRetries: 2 }),
      add('doomed', { maxRetries: 5 }),
    ]);
    // 3 ok + 2 boom + 2 flaky + 1 doomed attempts. `processed` counts an outcome as its write
    // starts (a run on Node 24 read a task as still running after it reached 8); `completed` and
    // `failed` move, with the metric events, once the write is done.
    await waitFor('every outcome written', () => worker.counters.completed + worker.counters.failed === 8);
    expect(worker.counters.processed).toBe(8);
    const finalStatus: Record<string, string> = { ok: 'completed', flaky: 'completed', boom: 'failed', doomed: 'failed' };
    for (const task of tasks) expect(await statusOf(task.id)).toBe(finalStatus[task.task_name]);

    const samples = await scrape(registry);
    const value = (name: string, labels: Record<string, string> = {}) => metricValue(samples, name, labels);
    expect(value('taskforge_worker_claimed_tasks_total')).toBe(8);
    expect(value('taskforge_worker_claims_total')).toBeGreaterThanOrEqual(1);
    expect(value('taskforge_worker_tasks_completed_total', { task_name: 'ok' })).toBe(3);
    expect(value('taskforge_worker_tasks_completed_total', { task_name: 'flaky' })).toBe(1);
    expect(value('taskforge_worker_tasks_failed_total', { task_name: 'boom' })).toBe(2);
    expect(value('taskforge_worker_tasks_failed_total', { task_name: 'flaky' })).toBe(1);
    expect(value('taskforge_worker_tasks_failed_total', { task_name: 'doomed' })).toBe(1);
    expect(value('taskforge_worker_task_retries_total', { task_name: 'boom' })).toBe(1);
    expect(value('taskforge_worker_task_retries_total', { task_name: 'flaky' })).toBe(1);
    expect(value('taskforge_worker_task_retries_total', { task_name: 'doomed' })).toBeUndefined();
    expect(value('taskforge_worker_tasks_failed_permanently_total', { task_name: 'boom' })).toBe(1);
    expect(value('taskforge_worker_tasks_failed_permanently_total', { task_name: 'doomed' })).toBe(1);
    expect(value('taskforge_worker_tasks_failed_permanently_total', { task_name: 'flaky' })).toBeUndefined();

    // One observation per recorded attempt, under its outcome; +Inf holds them all.
    const durationCount = (taskName: string, outcome: string) =>
      value('taskforge_worker_task_duration_seconds_count', { task_name: taskName, outcome });
    expect(durationCount('ok', 'completed')).toBe(3);
    expect(durationCount('flaky', 'completed')).toBe(1);
    expect(durationCount('flaky', 'failed')).toBe(1);
    expect(durationCount('boom', 'failed')).toBe(2);
    expect(value('taskforge_worker_task_duration_seconds_bucket', { task_name: 'ok', outcome: 'completed', le: '+Inf' })).toBe(3);
    expect(value('taskforge_worker_task_duration_seconds_sum', { task_name: 'ok', outcome: 'completed' })).toBeGreaterThanOrEqual(0);

    expect(value('taskforge_worker_running_tasks')).toBe(0);
    expect(value('taskforge_worker_tasks_rescued_total')).toBe(0);
    expect(samples.filter((sample) => sample.name === 'taskforge_worker_leases_lost_total')).toEqual([]);
  });

  it('shows running handlers in the running gauge', async () => {
    const { registry } = startMeasuredWorker({ hold: (_payload, _id, { signal }) => untilAborted(signal) });
    await add('hold');
    await add('hold');
    await waitFor('two handlers running', async () => metricValue(await scrape(registry), 'taskforge_worker_running_tasks') === 2);
  });

  it('counts rescued tasks of other workers and leases this worker lost', async () => {
    // A dead worker's task, its lease lapsed: the measured worker rescues it, then runs it.
    await db.pool.query(
      `insert into tasks (task_name, status, attempts, max_retries, locked_by, locked_at, started_at, lease_expires_at)
       values ('ok', 'running', 1, 3, 'dead-worker', now() - interval '1 minute', now() - interval '1 minute', now() - interval '5 seconds')`,
    );
    let holding = false;
    const { worker, registry } = startMeasuredWorker({
      ok: async () => undefined,
      hold: (_payload, _id, { signal }) => {
        holding = true;
        return untilAborted(signal);
      },
    });
    await waitFor('the orphan rescued and completed', () => worker.counters.rescued === 1 && worker.counters.completed === 1);

    const held = await add('hold');
    await waitFor('the hold handler to start', () => holding);
    // Someone else takes the task over: the next heartbeat finds it gone.
    await db.pool.query(
      `update tasks set locked_by = 'someone-else', attempts = attempts + 1, lease_expires_at = now() + interval '1 hour' where id = $1`,
      [held.id],
    );
    await waitFor('the lease loss noticed', () => worker.counters.leasesLost === 1);

    const samples = await scrape(registry);
    expect(metricValue(samples, 'taskforge_worker_tasks_rescued_total')).toBe(1);
    expect(metricValue(samples, 'taskforge_worker_leases_lost_total', { task_name: 'hold' })).toBe(1);
    expect(metricValue(samples, 'taskforge_worker_tasks_completed_total', { task_name: 'ok' })).toBe(1);
  });
});
