import { pino } from 'pino';
import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { listLiveWorkers, upsertWorkerRow, type WorkerPresence } from '../monitor/task-workers.js';
import { addTask } from '../tasks/add-task.js';
import { claimTasks } from '../tasks/claim-tasks.js';
import { WORKER_ROW_PRUNE_MS, WorkerRegistry } from './worker-registry.js';

const silent = pino({ level: 'silent' });

describe('the worker registry (task_workers)', () => {
  const db = useTestDatabase({ truncateEach: true });

  beforeEach(async () => {
    await db.pool.query('truncate task_workers');
  });

  function presence(id: string, running = 0): WorkerPresence {
    return { id, host: 'spec-host', pid: 4242, concurrency: 8, taskNames: ['email', 'report'], running };
  }

  async function rows() {
    const { rows } = await db.pool.query('select * from task_workers order by id');
    return rows;
  }

  /** Moves a worker's last heartbeat (and start) into the past, as if it had stopped heartbeating. */
  async function lastSeen(id: string, agoMs: number): Promise<void> {
    await db.pool.query(
      `update task_workers set last_seen_at = now() - $2::float8 * interval '1 ms', started_at = least(started_at, now() - $2::float8 * interval '1 ms') where id = $1`,
      [id, agoMs],
    );
  }

  it('registers a worker on start and removes it on a clean stop', async () => {
    let running = 0;
    const registry = new WorkerRegistry({
      db: db.pool,
      workerId: 'worker-a',
      concurrency: 4,
      taskNames: () => ['email', 'report'],
      running: () => running,
      heartbeatIntervalMs: 60_000,
      logger: silent,
      host: 'host-a',
      pid: 1234,
    });
    running = 2;
    registry.start();
    await registry.registered;
    expect(await rows()).toEqual([
      {
        id: 'worker-a',
        host: 'host-a',
        pid: 1234,
        started_at: expect.any(Date),
        last_seen_at: expect.any(Date),
        concurrency: 4,
        task_names: ['email', 'report'],
        running: 2,
      },
    ]);
    await registry.stop();
    expect(await rows()).toEqual([]);
  });

  it('a heartbeat refreshes last_seen_at and the running count, keeping started_at', async () => {
    await upsertWorkerRow(db.pool, { worker: presence('worker-a'), starting: true, pruneAfterMs: WORKER_ROW_PRUNE_MS });
    await lastSeen('worker-a', 60_000);
    const [before] = await rows();
    await upsertWorkerRow(db.pool, { worker: presence('worker-a', 3), starting: false, pruneAfterMs: WORKER_ROW_PRUNE_MS });
    const [after] = await rows();
    expect(after.started_at).toEqual(before.started_at);
    expect(after.last_seen_at.getTime()).toBeGreaterThan(before.last_seen_at.getTime());
    expect(after.running).toBe(3);
  });

  it('a restart under the same id resets started_at', async () => {
    await upsertWorkerRow(db.pool, { worker: presence('worker-a'), starting: true, pruneAfterMs: WORKER_ROW_PRUNE_MS });
    await lastSeen('worker-a', 60_000);
    const [before] = await rows();
    await upsertWorkerRow(db.pool, { worker: { ...presence('worker-a'), pid: 5555 }, starting: true, pruneAfterMs: WORKER_ROW_PRUNE_MS });
    const [after] = await rows();
    expect(after.started_at.getTime()).toBeGreaterThan(before.started_at.getTime());
    expect(after.pid).toBe(5555);
  });

  it('a heartbeat re-creates a row that was pruned while the worker was cut off', async () => {
    await upsertWorkerRow(db.pool, { worker: presence('worker-a', 1), starting: false, pruneAfterMs: WORKER_ROW_PRUNE_MS });
    expect(await rows()).toMatchObject([{ id: 'worker-a', running: 1 }]);
  });

  it("prunes rows of workers not seen for the prune period with any worker's heartbeat, never its own", async () => {
    for (const id of ['gone', 'quiet', 'worker-a']) {
      await upsertWorkerRow(db.pool, { worker: presence(id), starting: true, pruneAfterMs: WORKER_ROW_PRUNE_MS });
    }
    await lastSeen('gone', WORKER_ROW_PRUNE_MS + 60_000);
    await lastSeen('quiet', WORKER_ROW_PRUNE_MS - 60_000);
    await lastSeen('worker-a', WORKER_ROW_PRUNE_MS + 60_000);
    await upsertWorkerRow(db.pool, { worker: presence('worker-a'), starting: false, pruneAfterMs: WORKER_ROW_PRUNE_MS });
    expect((await rows()).map((row) => row.id)).toEqual(['quiet', 'worker-a']);
  });

  it('lists only workers seen within the cut-off, each with the running tasks it holds', async () => {
    for (const id of ['worker-a', 'worker-b', 'worker-c']) {
      await upsertWorkerRow(db.pool, { worker: presence(id, 1), starting: true, pruneAfterMs: WORKER_ROW_PRUNE_MS });
    }
    await lastSeen('worker-c', 20_000);
    for (let i = 0; i < 3; i += 1) await addTask(db.pool, { task_name: 'email', max_retries: 0 });
    const claimed = await claimTasks(db.pool, { workerId: 'worker-a', taskNames: ['email'], limit: 2 });
    await claimTasks(db.pool, { workerId: 'worker-c', taskNames: ['email'], limit: 1 });
    // Claimed in one statement, so started at the same time: listed by id then.
    const held = claimed
      .map((task) => ({ id: task.id, task_name: 'email', started_at: task.started_at, attempts: 1 }))
      .sort((a, b) => a.id.localeCompare(b.id));

    const live = await listLiveWorkers(db.pool, { seenWithinMs: 15_000 });
    expect(live).toEqual([
      {
        id: 'worker-a',
        host: 'spec-host',
        pid: 4242,
        started_at: expect.any(Date),
        last_seen_at: expect.any(Date),
        concurrency: 8,
        task_names: ['email', 'report'],
        running: 1,
        held_tasks: 2,
        running_tasks: held,
      },
      expect.objectContaining({ id: 'worker-b', held_tasks: 0, running_tasks: [] }),
    ]);
  });
});
