import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { addTask } from './add-task.js';
import { cancelTask } from './cancel-task.js';
import { claimTasks, claimTasksToRun } from './claim-tasks.js';
import { completeTasks } from './complete-tasks.js';
import { failTask } from './fail-task.js';
import { getTask } from './get-task.js';
import type { Task } from './task.js';

describe('claimTasks', () => {
  const db = useTestDatabase({ truncateEach: true });

  /** Adds a due task; `minutesAgo` sets scheduled_at in the past by that much. */
  async function add(name: string, options: { priority?: number; minutesAgo?: number; maxRetries?: number } = {}) {
    return addTask(db.pool, {
      task_name: name,
      priority: options.priority,
      scheduled_at: options.minutesAgo === undefined ? undefined : new Date(Date.now() - options.minutesAgo * 60_000),
      max_retries: options.maxRetries ?? 3,
    });
  }

  async function claim(params: { taskNames?: string[]; limit?: number; workerId?: string } = {}): Promise<Task[]> {
    return claimTasks(db.pool, {
      workerId: params.workerId ?? 'worker-1',
      taskNames: params.taskNames ?? ['job'],
      limit: params.limit ?? 100,
    });
  }

  async function dbNow(): Promise<Date> {
    const { rows } = await db.pool.query<{ now: Date }>('select now() as now');
    return rows[0]!.now;
  }

  it('does not let 20 concurrent workers claim the same task twice, and together they claim all 1,000', async () => {
    await db.pool.query(
      `insert into tasks (task_name, payload, priority, scheduled_at, max_retries)
       select 'job', jsonb_build_object('n', g), g % 7, now() - (g % 13) * interval '1 second', 3
         from generate_series(1, 1000) g`,
    );
    const workers = 20;
    // Every worker on its own connection, so their claims really run concurrently in PostgreSQL.
    const clients = await Promise.all(Array.from({ length: workers }, () => db.pool.connect()));
    const claimedBy = new Map<string, string[]>();
    let duplicateInMemory = 0;
    try {
      await Promise.all(
        clients.map(async (client, i) => {
          const workerId = `worker-${i}`;
          const limit = 5 + (i % 6); // 5..10
          for (;;) {
            const tasks = await claimTasks(client, { workerId, taskNames: ['job'], limit });
            if (tasks.length === 0) break;
            expect(tasks.length).toBeLessThanOrEqual(limit);
            for (const task of tasks) {
              expect(task.locked_by).toBe(workerId);
              const owners = claimedBy.get(task.id) ?? [];
              if (owners.length > 0) duplicateInMemory += 1;
              claimedBy.set(task.id, [...owners, workerId]);
            }
          }
        }),
      );
    } finally {
      for (const client of clients) client.release();
    }

    expect(duplicateInMemory).toBe(0);
    expect(claimedBy.size).toBe(1_000);
    const { rows } = await db.pool.query<{ total: number; running: number; once: number; spread: number }>(
      `select count(*)::int as total,
              count(*) filter (where status = 'running')::int as running,
              count(*) filter (where attempts = 1)::int as once,
              count(distinct locked_by)::int as spread
         from tasks`,
    );
    expect(rows[0]).toMatchObject({ total: 1_000, running: 1_000, once: 1_000 });
    // The lock recorded in the database is the worker that got the task back.
    const { rows: locks } = await db.pool.query<{ id: string; locked_by: string }>('select id, locked_by from tasks');
    for (const lock of locks) expect(claimedBy.get(lock.id)).toEqual([lock.locked_by]);
    // Sanity: the work really was shared, not done by one connection while the others waited.
    expect(rows[0]!.spread).toBeGreaterThan(1);
  });

  it('claims higher priority first', async () => {
    const low = await add('job', { priority: -3 });
    const normal = await add('job', { priority: 0 });
    const high = await add('job', { priority: 10 });
    const medium = await add('job', { priority: 5 });

    const first = await claim({ limit: 2 });
    expect(first.map((t) => t.id)).toEqual([high.id, medium.id]);
    const rest = await claim({ limit: 10 });
    expect(rest.map((t) => t.id)).toEqual([normal.id, low.id]);
  });

  it('claims earlier scheduled_at first among equal priority', async () => {
    const twoMinutes = await add('job', { minutesAgo: 2 });
    const oneMinute = await add('job', { minutesAgo: 1 });
    const threeMinutes = await add('job', { minutesAgo: 3 });

    const order: string[] = [];
    for (let i = 0; i < 3; i += 1) {
      const [task] = await claim({ limit: 1 });
      order.push(task!.id);
    }
    expect(order).toEqual([threeMinutes.id, twoMinutes.id, oneMinute.id]);
  });

  it('lets priority win over scheduled_at, and returns a batch in claim order', async () => {
    const oldLow = await add('job', { priority: 1, minutesAgo: 60 });
    const newHigh = await add('job', { priority: 2, minutesAgo: 1 });
    const oldHigh = await add('job', { priority: 2, minutesAgo: 30 });
    const newLow = await add('job', { priority: 1, minutesAgo: 5 });

    const tasks = await claim({ limit: 4 });
    expect(tasks.map((t) => t.id)).toEqual([oldHigh.id, newHigh.id, oldLow.id, newLow.id]);
  });

  it('does not claim a task scheduled in the future until it is due', async () => {
    const task = await add('job');
    await db.pool.query(`update tasks set scheduled_at = now() + interval '1 hour' where id = $1`, [task.id]);
    expect(await claim()).toEqual([]);
    expect((await getTask(db.pool, task.id)).status).toBe('pending');

    await db.pool.query(`update tasks set scheduled_at = now() - interval '1 second' where id = $1`, [task.id]);
    const claimed = await claim();
    expect(claimed.map((t) => t.id)).toEqual([task.id]);
  });

  it('does not claim a task added with a future scheduled_at, but claims a due one next to it', async () => {
    const due = await add('job');
    await addTask(db.pool, { task_name: 'job', scheduled_at: new Date(Date.now() + 3_600_000), max_retries: 0 });
    expect((await claim()).map((t) => t.id)).toEqual([due.id]);
    expect(await claim()).toEqual([]);
  });

  it('claims only tasks whose names are in taskNames', async () => {
    const a = await add('alpha');
    await add('beta');
    const c = await add('gamma');

    const claimed = await claim({ taskNames: ['alpha', 'gamma', 'not-there'] });
    expect(claimed.map((t) => t.id).sort()).toEqual([a.id, c.id].sort());
    const { rows } = await db.pool.query(`select task_name, status from tasks order by task_name`);
    expect(rows).toEqual([
      { task_name: 'alpha', status: 'running' },
      { task_name: 'beta', status: 'pending' },
      { task_name: 'gamma', status: 'running' },
    ]);
  });

  it('claims nothing, and changes nothing, for an empty taskNames list', async () => {
    await add('job');
    expect(await claim({ taskNames: [] })).toEqual([]);
    const { rows } = await db.pool.query(`select status, attempts from tasks`);
    expect(rows).toEqual([{ status: 'pending', attempts: 0 }]);
  });

  it('respects the limit', async () => {
    for (let i = 0; i < 10; i += 1) await add('job');
    expect(await claim({ limit: 3 })).toHaveLength(3);
    expect(await claim({ limit: 0 })).toEqual([]);
    expect(await claim({ limit: -1 })).toEqual([]);
    expect(await claim({ limit: 1 })).toHaveLength(1);
    expect(await claim({ limit: 100 })).toHaveLength(6);
    expect(await claim({ limit: 100 })).toEqual([]);
  });

  it('sets status running, locked_by, locked_at, started_at and increments attempts', async () => {
    const added = await add('job', { priority: 4 });
    expect(added).toMatchObject({ status: 'pending', attempts: 0, locked_by: null, locked_at: null, started_at: null });

    const before = await dbNow();
    const [claimed] = await claim({ workerId: 'worker-xyz' });
    const after = await dbNow();

    expect(claimed).toMatchObject({
      id: added.id,
      task_name: 'job',
      status: 'running',
      attempts: 1,
      priority: 4,
      locked_by: 'worker-xyz',
      next_retry_at: null,
      finished_at: null,
    });
    for (const column of ['locked_at', 'started_at', 'updated_at'] as const) {
      const value = claimed![column]!;
      expect(value).toBeInstanceOf(Date);
      expect(value.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(value.getTime()).toBeLessThanOrEqual(after.getTime());
    }
    expect(claimed!.created_at).toEqual(added.created_at);
    expect(claimed!.scheduled_at).toEqual(added.scheduled_at);
    // What it returned is what it stored.
    expect(await getTask(db.pool, added.id)).toEqual(claimed);
  });

  it('does not claim a running task again', async () => {
    await add('job');
    expect(await claim({ workerId: 'a' })).toHaveLength(1);
    expect(await claim({ workerId: 'b' })).toEqual([]);
  });

  it('claims a failed task with next_retry_at once it is due, counting the retry as attempt 2', async () => {
    const task = await add('job', { maxRetries: 3 });
    const [first] = await claim();
    const failed = await failTask(db.pool, {
      id: task.id,
      attempt: first!.attempts,
      workerId: 'worker-1',
      error: 'boom',
      retryDelayMs: 60_000,
    });
    expect(failed!.next_retry_at).not.toBeNull();

    // Not due yet: the retry is a minute away.
    expect(await claim()).toEqual([]);

    await db.pool.query(
      `update tasks set scheduled_at = now() - interval '1 second', next_retry_at = now() - interval '1 second' where id = $1`,
      [task.id],
    );
    const [retry] = await claim({ workerId: 'worker-2' });
    expect(retry).toMatchObject({ id: task.id, status: 'running', attempts: 2, locked_by: 'worker-2', next_retry_at: null });
  });

  it('never claims a task that failed for good (next_retry_at null), even when scheduled in the past', async () => {
    const task = await add('job', { maxRetries: 0, minutesAgo: 10 });
    const [first] = await claim();
    const failed = await failTask(db.pool, {
      id: task.id,
      attempt: first!.attempts,
      workerId: 'worker-1',
      error: 'fatal',
      retryDelayMs: 0,
    });
    expect(failed!.next_retry_at).toBeNull();
    await db.pool.query(`update tasks set scheduled_at = now() - interval '1 hour' where id = $1`, [task.id]);

    expect(await claim()).toEqual([]);
    expect(await getTask(db.pool, task.id)).toMatchObject({ status: 'failed', attempts: 1, next_retry_at: null });
  });

  it('never claims cancelled or completed tasks', async () => {
    const toCancel = await add('job', { minutesAgo: 5 });
    await cancelTask(db.pool, toCancel.id);
    const toComplete = await add('job', { minutesAgo: 5 });
    const [running] = await claim();
    expect(running!.id).toBe(toComplete.id);
    expect(await completeTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: running!.id, attempt: 1 }] })).toEqual([toComplete.id]);
    await db.pool.query(`update tasks set scheduled_at = now() - interval '1 hour'`);

    expect(await claim()).toEqual([]);
    const { rows } = await db.pool.query(`select id, status from tasks order by status`);
    expect(rows).toEqual([
      { id: toCancel.id, status: 'cancelled' },
      { id: toComplete.id, status: 'completed' },
    ]);
  });

  it('takes part in the caller transaction: a rolled-back claim leaves the task pending', async () => {
    const task = await add('job');
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      expect(await claimTasks(client, { workerId: 'w', taskNames: ['job'], limit: 1 })).toHaveLength(1);
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(await getTask(db.pool, task.id)).toMatchObject({ status: 'pending', attempts: 0, locked_by: null });
  });
});

describe('claimTasksToRun', () => {
  const db = useTestDatabase({ truncateEach: true });

  it('claims like claimTasks but returns only what a worker runs with, in priority order', async () => {
    const low = await addTask(db.pool, { task_name: 'job', payload: { n: 1 }, priority: 1, max_retries: 2, timeout_ms: 500 });
    const high = await addTask(db.pool, { task_name: 'job', payload: [2], priority: 9, max_retries: 0 });
    const claimed = await claimTasksToRun(db.pool, { workerId: 'w', taskNames: ['job'], limit: 10 });
    expect(claimed.map((task) => task.id)).toEqual([high.id, low.id]);
    expect(Object.keys(claimed[1]!).sort()).toEqual([
      'attempts',
      'id',
      'max_retries',
      'payload',
      'priority',
      'scheduled_at',
      'task_name',
      'timeout_ms',
    ]);
    expect(claimed[1]).toMatchObject({ payload: { n: 1 }, attempts: 1, max_retries: 2, timeout_ms: 500 });
    expect(await getTask(db.pool, low.id)).toMatchObject({ status: 'running', locked_by: 'w', attempts: 1 });
  });
});
