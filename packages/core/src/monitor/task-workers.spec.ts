import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { LIVE_WORKER_TASKS_LIMIT, listLiveWorkers, upsertWorkerRow } from './task-workers.js';

describe('listLiveWorkers: the tasks each worker holds', () => {
  const db = useTestDatabase({ truncateEach: true });

  beforeEach(async () => {
    await db.pool.query('truncate task_workers');
  });

  async function addWorker(id: string): Promise<void> {
    await upsertWorkerRow(db.pool, {
      worker: { id, host: 'spec-host', pid: 1, concurrency: 50, taskNames: ['email'], running: 0 },
      starting: true,
      pruneAfterMs: 3_600_000,
    });
  }

  /** `count` running tasks locked by `worker`, the n-th started n seconds after an hour ago; ids in start order. */
  async function running(worker: string, count: number, name = 'email'): Promise<string[]> {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into tasks (task_name, status, max_retries, attempts, locked_by, locked_at, lease_expires_at, started_at)
       select $1, 'running', 3, 1 + n % 3, $2, now(), now() + interval '1 hour', now() - interval '1 hour' + n * interval '1 second'
         from generate_series(1, $3::int) n
       order by n
       returning id`,
      [name, worker, count],
    );
    return rows.map((row) => row.id);
  }

  it("lists a worker's running tasks, the latest started first, with name, start and attempt", async () => {
    await addWorker('worker-a');
    const ids = await running('worker-a', 3, 'report');
    await db.pool.query(`insert into tasks (task_name, max_retries) values ('email', 0)`);

    const [worker] = await listLiveWorkers(db.pool, { seenWithinMs: 60_000 });
    expect(worker!.held_tasks).toBe(3);
    expect(worker!.running_tasks).toEqual(
      [...ids].reverse().map((id) => ({ id, task_name: 'report', started_at: expect.any(Date), attempts: expect.any(Number) })),
    );
    const starts = worker!.running_tasks.map((task) => task.started_at!.getTime());
    expect(starts).toEqual([...starts].sort((a, b) => b - a));
    expect(worker!.running_tasks.map((task) => task.attempts)).toEqual([1, 3, 2]);
  });

  it(`lists at most ${LIVE_WORKER_TASKS_LIMIT} of them and still counts them all`, async () => {
    await addWorker('worker-a');
    await addWorker('worker-b');
    const ids = await running('worker-a', LIVE_WORKER_TASKS_LIMIT + 5);
    const others = await running('worker-b', 2);

    const [a, b] = await listLiveWorkers(db.pool, { seenWithinMs: 60_000 });
    expect(a!.held_tasks).toBe(LIVE_WORKER_TASKS_LIMIT + 5);
    expect(a!.running_tasks.map((task) => task.id)).toEqual(ids.slice(-LIVE_WORKER_TASKS_LIMIT).reverse());
    expect(b!.running_tasks.map((task) => task.id)).toEqual([...others].reverse());
  });

  it('gives a worker that holds nothing an empty list', async () => {
    await addWorker('worker-a');
    const [worker] = await listLiveWorkers(db.pool, { seenWithinMs: 60_000 });
    expect(worker).toMatchObject({ held_tasks: 0, running_tasks: [] });
  });
});
