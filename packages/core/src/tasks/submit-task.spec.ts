import { describe, expect, it, vi } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import type { Queryable } from '../db/queryable.js';
import { IdempotencyKeyContendedError } from '../errors.js';
import type { TaskNotifier } from '../notify/task-notifier.js';
import { addTask } from './add-task.js';
import { addTasks } from './add-tasks.js';
import { claimTasks } from './claim-tasks.js';
import { failTask } from './fail-task.js';
import { getTask } from './get-task.js';
import { submitTask } from './submit-task.js';
import type { Task } from './task.js';

const HOUR_MS = 3_600_000;

describe('submitTask: idempotency keys', () => {
  const db = useTestDatabase({ truncateEach: true });

  const submit = (key: string | null | undefined, payload: unknown = { n: 1 }, idempotencyWindowMs = HOUR_MS) =>
    submitTask(db.pool, { task_name: 'keyed', payload, max_retries: 1, idempotency_key: key }, { idempotencyWindowMs });

  async function rowsWithName(): Promise<Pick<Task, 'id' | 'idempotency_key' | 'status'>[]> {
    const { rows } = await db.pool.query(`select id, idempotency_key, status from tasks where task_name = 'keyed' order by created_at, id`);
    return rows;
  }

  /** Puts the task into a final state that ended `agoMs` before now (database time), directly. */
  async function finish(id: string, status: 'completed' | 'cancelled' | 'failed', agoMs: number): Promise<void> {
    await db.pool.query(
      `update tasks set status = $2, next_retry_at = null, finished_at = now() - $3::float8 * interval '1 millisecond' where id = $1`,
      [id, status, agoMs],
    );
  }

  it('inserts a task without a key every time, with a null key', async () => {
    const first = await submit(undefined);
    const second = await submit(null);
    expect(first.created).toBe(true);
    expect(second.created).toBe(true);
    expect(first.task.id).not.toBe(second.task.id);
    expect(first.task.idempotency_key).toBeNull();
    expect(await rowsWithName()).toHaveLength(2);
  });

  it('creates the task on first use of a key and stores the key', async () => {
    const { task, created } = await submit('order-1');
    expect(created).toBe(true);
    expect(task).toMatchObject({ task_name: 'keyed', status: 'pending', idempotency_key: 'order-1', payload: { n: 1 } });
    expect(Object.keys(task)).not.toContain('created');
    expect(Object.keys(task)).not.toContain('expired');
    expect(await getTask(db.pool, task.id)).toEqual(task);
  });

  it('returns the existing task for the same key, unchanged, even with a different payload', async () => {
    const first = await submit('order-2', { n: 1 });
    const second = await submit('order-2', { n: 2, other: true });
    expect(second.created).toBe(false);
    expect(second.task).toEqual(first.task);
    expect((await getTask(db.pool, first.task.id)).payload).toEqual({ n: 1 });
    expect(await rowsWithName()).toHaveLength(1);
  });

  it('keeps different keys apart', async () => {
    const a = await submit('a');
    const b = await submit('b');
    expect(a.task.id).not.toBe(b.task.id);
    expect((await rowsWithName()).map((row) => row.idempotency_key).sort()).toEqual(['a', 'b']);
  });

  it('addTask honours the key too, returning the existing task', async () => {
    const first = await addTask(db.pool, { task_name: 'keyed', max_retries: 0, idempotency_key: 'via-addTask' });
    const again = await addTask(db.pool, { task_name: 'keyed', max_retries: 0, idempotency_key: 'via-addTask' });
    expect(again.id).toBe(first.id);
    expect(await rowsWithName()).toHaveLength(1);
  });

  it.each(['running', 'failed'] as const)('returns a %s (unfinished) task holding the key, however old', async (status) => {
    const { task } = await submit('busy');
    await claimTasks(db.pool, { workerId: 'w', taskNames: ['keyed'], limit: 1 });
    // A failed task awaiting its retry has no finished_at, and neither has a running one.
    if (status === 'failed') await failTask(db.pool, { id: task.id, attempt: 1, workerId: 'w', error: 'boom', retryDelayMs: HOUR_MS });
    await db.pool.query(`update tasks set created_at = now() - interval '400 days' where id = $1`, [task.id]);
    const again = await submit('busy', undefined, 0);
    expect(again).toMatchObject({ created: false, task: { id: task.id, status, idempotency_key: 'busy', finished_at: null } });
  });

  it('never releases the key of a pending task, however old, even with a window of 0', async () => {
    const { task } = await submit('old-pending');
    await db.pool.query(
      `update tasks set created_at = now() - interval '10 years', scheduled_at = now() - interval '10 years' where id = $1`,
      [task.id],
    );
    const again = await submit('old-pending', undefined, 0);
    expect(again.created).toBe(false);
    expect(again.task.id).toBe(task.id);
    expect(await rowsWithName()).toEqual([{ id: task.id, idempotency_key: 'old-pending', status: 'pending' }]);
  });

  it.each(['completed', 'cancelled', 'failed'] as const)('returns a %s task that finished within the window', async (status) => {
    const { task } = await submit(`recent-${status}`);
    await finish(task.id, status, 60_000);
    const again = await submit(`recent-${status}`, undefined, HOUR_MS);
    expect(again.created).toBe(false);
    expect(again.task).toMatchObject({ id: task.id, status });
  });

  it.each(['completed', 'cancelled', 'failed'] as const)(
    'after the window, takes the key from a %s task (which stays) and creates a new one',
    async (status) => {
      const { task: old } = await submit(`expired-${status}`, { generation: 1 });
      await finish(old.id, status, 2 * HOUR_MS);
      const fresh = await submit(`expired-${status}`, { generation: 2 }, HOUR_MS);
      expect(fresh.created).toBe(true);
      expect(fresh.task.id).not.toBe(old.id);
      expect(fresh.task).toMatchObject({ status: 'pending', idempotency_key: `expired-${status}`, payload: { generation: 2 } });
      const kept = await getTask(db.pool, old.id);
      expect(kept).toMatchObject({ status, idempotency_key: null, payload: { generation: 1 } });
      expect(kept.finished_at).toEqual((await db.pool.query('select finished_at from tasks where id = $1', [old.id])).rows[0].finished_at);
      // The new holder answers from now on.
      const third = await submit(`expired-${status}`, { generation: 3 }, HOUR_MS);
      expect(third).toMatchObject({ created: false, task: { id: fresh.task.id } });
    },
  );

  it('with a window of 0, frees the key as soon as its task finishes', async () => {
    const { task: old } = await submit('zero-window', undefined, 0);
    await finish(old.id, 'completed', 0);
    const fresh = await submit('zero-window', undefined, 0);
    expect(fresh.created).toBe(true);
    expect(await rowsWithName()).toEqual([
      { id: old.id, idempotency_key: null, status: 'completed' },
      { id: fresh.task.id, idempotency_key: 'zero-window', status: 'pending' },
    ]);
  });

  it('with a window of a few milliseconds, a task that finished an hour ago no longer holds its key', async () => {
    const { task: old } = await submit('short-window');
    await finish(old.id, 'completed', HOUR_MS);
    expect((await submit('short-window', undefined, 5)).created).toBe(true);
  });

  it('a key whose task was deleted (retention) is free again', async () => {
    const { task: old } = await submit('deleted');
    await db.pool.query('delete from tasks where id = $1', [old.id]);
    const fresh = await submit('deleted');
    expect(fresh.created).toBe(true);
    expect(fresh.task.id).not.toBe(old.id);
  });

  it('wakes workers through the notifier only when it created the task', async () => {
    const tasksAdded = vi.fn();
    const notifier = { tasksAdded } as unknown as TaskNotifier;
    const options = { notifier, idempotencyWindowMs: HOUR_MS };
    await submitTask(db.pool, { task_name: 'keyed', max_retries: 0, idempotency_key: 'notify' }, options);
    await submitTask(db.pool, { task_name: 'keyed', max_retries: 0, idempotency_key: 'notify' }, options);
    expect(tasksAdded).toHaveBeenCalledTimes(1);
    await submitTask(db.pool, { task_name: 'keyed', max_retries: 0 }, options);
    expect(tasksAdded).toHaveBeenCalledTimes(2);
  });

  it('is refused by the database for an empty key or one over 255 characters', async () => {
    await expect(submit('')).rejects.toMatchObject({ code: '23514' });
    await expect(submit('k'.repeat(256))).rejects.toMatchObject({ code: '23514' });
    expect((await submit('k'.repeat(255))).created).toBe(true);
  });

  describe('under concurrency', () => {
    /** `count` clients of their own, so every submission really runs on a separate connection. */
    async function withClients<T>(count: number, work: (clients: import('pg').PoolClient[]) => Promise<T>): Promise<T> {
      const clients = await Promise.all(Array.from({ length: count }, () => db.pool.connect()));
      try {
        return await work(clients);
      } finally {
        for (const client of clients) client.release();
      }
    }

    it('20 parallel submissions of one key on separate connections store one task and all get its id', async () => {
      for (let round = 0; round < 3; round += 1) {
        const key = `race-${round}`;
        const results = await withClients(20, (clients) =>
          Promise.all(
            clients.map((client, i) =>
              submitTask(client, { task_name: 'keyed', payload: { caller: i }, max_retries: 0, idempotency_key: key }),
            ),
          ),
        );
        const { rows } = await db.pool.query('select id from tasks where idempotency_key = $1', [key]);
        expect(rows).toHaveLength(1);
        expect(new Set(results.map((result) => result.task.id))).toEqual(new Set([rows[0].id]));
        expect(results.filter((result) => result.created)).toHaveLength(1);
      }
      expect(await rowsWithName()).toHaveLength(3);
    });

    it('20 parallel submissions of an expired key create exactly one new task; the old one keeps existing', async () => {
      const { task: old } = await submit('race-expired');
      await finish(old.id, 'completed', 2 * HOUR_MS);
      const results = await withClients(20, (clients) =>
        Promise.all(
          clients.map((client) =>
            submitTask(client, { task_name: 'keyed', max_retries: 0, idempotency_key: 'race-expired' }, { idempotencyWindowMs: HOUR_MS }),
          ),
        ),
      );
      const rows = await rowsWithName();
      expect(rows).toHaveLength(2);
      const fresh = rows.find((row) => row.id !== old.id)!;
      expect(rows.find((row) => row.id === old.id)).toEqual({ id: old.id, idempotency_key: null, status: 'completed' });
      expect(fresh).toMatchObject({ idempotency_key: 'race-expired', status: 'pending' });
      expect(new Set(results.map((result) => result.task.id))).toEqual(new Set([fresh.id]));
      expect(results.filter((result) => result.created)).toHaveLength(1);
    });
  });

  describe('inside a caller transaction', () => {
    it('rolled back, the task is gone and the key is free again', async () => {
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        const inside = await submitTask(client, { task_name: 'keyed', max_retries: 0, idempotency_key: 'tx' });
        expect(inside.created).toBe(true);
        // The same transaction sees its own holder.
        const again = await submitTask(client, { task_name: 'keyed', max_retries: 0, idempotency_key: 'tx' });
        expect(again).toMatchObject({ created: false, task: { id: inside.task.id } });
        await client.query('rollback');
      } finally {
        client.release();
      }
      expect(await rowsWithName()).toEqual([]);
      expect((await submit('tx')).created).toBe(true);
    });

    it('a concurrent submission waits for the open transaction: it gets its task once committed', async () => {
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        const inside = await submitTask(client, { task_name: 'keyed', max_retries: 0, idempotency_key: 'tx-wait' });
        const outside = submit('tx-wait');
        await client.query('commit');
        expect(await outside).toMatchObject({ created: false, task: { id: inside.task.id } });
      } finally {
        client.release();
      }
    });

    it('a concurrent submission waits for the open transaction: it creates the task once that rolls back', async () => {
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        const inside = await submitTask(client, { task_name: 'keyed', max_retries: 0, idempotency_key: 'tx-abort' });
        const outside = submit('tx-abort');
        await client.query('rollback');
        const result = await outside;
        expect(result.created).toBe(true);
        expect(result.task.id).not.toBe(inside.task.id);
      } finally {
        client.release();
      }
      expect(await rowsWithName()).toHaveLength(1);
    });
  });

  it('addTasks refuses keyed tasks, naming the item, and stores nothing', async () => {
    await expect(
      addTasks(db.pool, [
        { task_name: 'keyed', max_retries: 0 },
        { task_name: 'keyed', max_retries: 0, idempotency_key: 'batch' },
      ]),
    ).rejects.toThrow('tasks[1].idempotency_key');
    expect(await rowsWithName()).toEqual([]);
  });

  it('gives up after a bounded number of rounds with IdempotencyKeyContendedError naming the key', async () => {
    // A database on which the holder never becomes visible: the pathological case the bound is for.
    let statements = 0;
    const neverSettles = {
      query: async () => {
        statements += 1;
        return { rows: [] };
      },
    } as unknown as Queryable;
    const error = await submitTask(neverSettles, { task_name: 'keyed', max_retries: 0, idempotency_key: 'k-1' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(IdempotencyKeyContendedError);
    expect((error as Error).message).toBe('idempotency key "k-1" is contended: not settled after 5 attempts, try again');
    expect(statements).toBe(5);
  });
});
