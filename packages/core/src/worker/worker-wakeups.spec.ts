import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { handlers } from '../../../../test/support/task-functions.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { TaskNotifier } from '../notify/task-notifier.js';
import { addTask } from '../tasks/add-task.js';
import { getTask } from '../tasks/get-task.js';
import type { TaskFunction } from './task-function.js';
import { Worker, type WorkerOptions } from './worker.js';

const silent = pino({ level: 'silent' });
/** So long that only a LISTEN wake-up can explain a prompt pickup. */
const NEVER_POLL_MS = 600_000;

describe('Worker: wake-ups and the claim buffer', () => {
  const db = useTestDatabase({ truncateEach: true });
  const workers: Worker[] = [];
  afterEach(async () => {
    await Promise.all(workers.splice(0).map((worker) => worker.stop(1_000)));
  });

  function startWorker(run: Record<string, TaskFunction>, options: Partial<WorkerOptions> = {}): Worker {
    const worker = new Worker({
      pool: db.pool,
      workerId: 'wakeful',
      handlers: handlers(run),
      concurrency: 2,
      pollIntervalMs: NEVER_POLL_MS,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      logger: silent,
      ...options,
    });
    worker.start();
    workers.push(worker);
    return worker;
  }

  async function status(id: string): Promise<string> {
    return (await getTask(db.pool, id)).status;
  }

  it('picks up a task added with a notifier at once, without waiting for the poll', async () => {
    startWorker({ job: async () => undefined });
    // The first claim (at start) finds nothing; from then on only a notice can wake the worker.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const task = await addTask(db.pool, { task_name: 'job', max_retries: 0 }, { notifier: new TaskNotifier(db.pool) });
    await waitFor('the task to complete', async () => (await status(task.id)) === 'completed');
  });

  it('wakes when an announced future task falls due', async () => {
    startWorker({ job: async () => undefined });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const task = await addTask(
      db.pool,
      { task_name: 'job', max_retries: 0, scheduled_at: new Date(Date.now() + 500) },
      { notifier: new TaskNotifier(db.pool) },
    );
    expect(await status(task.id)).toBe('pending');
    await waitFor('the task to complete after its due time', async () => (await status(task.id)) === 'completed');
    expect((await getTask(db.pool, task.id)).started_at!.getTime()).toBeGreaterThanOrEqual(task.scheduled_at.getTime());
  });

  it('without a notice, waits for the poll (LISTEN is a hint, not the only path)', async () => {
    startWorker({ job: async () => undefined }, { listen: false, pollIntervalMs: 300 });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const task = await addTask(db.pool, { task_name: 'job', max_retries: 0 });
    await waitFor('the poll to find the task', async () => (await status(task.id)) === 'completed');
  });

  async function runningCount(): Promise<number> {
    const { rows } = await db.pool.query(`select count(*)::int as n from tasks where status = 'running'`);
    return rows[0].n;
  }

  it('does not hoard slow tasks: it holds no more than its slots while its handlers are slow', async () => {
    let releaseAll!: () => void;
    const hold = new Promise<void>((resolve) => (releaseAll = resolve));
    const worker = startWorker({ slow: () => hold }, { concurrency: 2, prefetch: 3, pollIntervalMs: 50 });
    await db.pool.query(`insert into tasks (task_name, max_retries) select 'slow', 0 from generate_series(1, 20)`);
    await waitFor('both slots to be busy', async () => (await runningCount()) === 2);
    // Several polls later, still only the two it runs: none sits in a buffer.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await runningCount()).toBe(2);
    expect(worker.runningCount).toBe(2);
    releaseAll();
  });

  it('buffers quick tasks up to the prefetch cap, and gives buffered ones back on stop', async () => {
    let releaseAll!: () => void;
    const hold = new Promise<void>((resolve) => (releaseAll = resolve));
    const worker = startWorker({ quick: async () => undefined, slow: () => hold }, { concurrency: 2, prefetch: 3, pollIntervalMs: 50 });
    // Quick tasks first (higher priority): the worker learns its tasks are short and buffers.
    await db.pool.query(`insert into tasks (task_name, priority, max_retries) select 'quick', 1, 0 from generate_series(1, 10)`);
    await waitFor('the quick tasks to complete', async () => {
      const { rows } = await db.pool.query(`select count(*)::int as n from tasks where status = 'completed'`);
      return rows[0].n === 10;
    });
    await db.pool.query(`insert into tasks (task_name, max_retries) select 'slow', 0 from generate_series(1, 20)`);
    // Two slow tasks fill the slots; three more wait in the buffer: held = concurrency + prefetch.
    await waitFor('slots and buffer to fill', async () => (await runningCount()) === 5);
    expect(worker.runningCount).toBe(2);
    const stopping = worker.stop(60_000);
    workers.splice(workers.indexOf(worker), 1);
    // The 3 buffered tasks never started: released at once, attempt given back.
    await waitFor('the buffered tasks to be released', async () => {
      const { rows } = await db.pool.query(`select count(*)::int as n from tasks where status = 'pending' and attempts = 0`);
      return rows[0].n === 18;
    });
    releaseAll();
    await stopping;
    const { rows } = await db.pool.query(`select status, count(*)::int as n from tasks group by status order by status`);
    expect(rows).toEqual([
      { status: 'completed', n: 12 },
      { status: 'pending', n: 18 },
    ]);
  });

  it('completes a batch whose results include one PostgreSQL refuses, failing only that task', async () => {
    await db.pool.query(`insert into tasks (task_name, payload, max_retries) select 'echo', to_jsonb(g), 0 from generate_series(1, 30) g`);
    startWorker(
      { echo: async (payload) => (payload === 13 ? { text: 'bad\u0000' } : { n: payload }) },
      { concurrency: 10, pollIntervalMs: 20 },
    );
    await waitFor('all 30 tasks to finish', async () => {
      const { rows } = await db.pool.query(`select count(*)::int as n from tasks where status in ('completed', 'failed')`);
      return rows[0].n === 30;
    });
    const { rows } = await db.pool.query(`select payload, status, result, last_error from tasks order by (payload)::int`);
    for (const row of rows) {
      if (row.payload === 13) {
        expect(row).toMatchObject({ status: 'failed', result: null });
        expect(row.last_error).toMatch(/result cannot be stored/);
      } else {
        expect(row).toMatchObject({ status: 'completed', result: { n: row.payload } });
      }
    }
  });
});
