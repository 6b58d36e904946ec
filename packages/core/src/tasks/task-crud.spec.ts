import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { TaskforgeError, TaskNotFoundError, TaskStateConflictError } from '../errors.js';
import { addTask } from './add-task.js';
import { cancelTask } from './cancel-task.js';
import { claimTasks } from './claim-tasks.js';
import { completeTasks } from './complete-tasks.js';
import { failTask } from './fail-task.js';
import { getTask } from './get-task.js';
import { rescheduleTask } from './reschedule-task.js';
import { getTaskStats } from './task-stats.js';
import { TASK_STATUSES } from '@taskforge/model';
import type { Task } from './task.js';

const CLOCK_TOLERANCE_MS = 5_000;

describe('task CRUD', () => {
  const db = useTestDatabase({ truncateEach: true });

  async function dbNow(): Promise<Date> {
    const { rows } = await db.pool.query<{ now: Date }>('select now() as now');
    return rows[0]!.now;
  }

  async function add(name = 'job', maxRetries = 3): Promise<Task> {
    return addTask(db.pool, { task_name: name, max_retries: maxRetries });
  }

  /** A task in the given state, reached through the real transitions. */
  async function taskIn(state: 'pending' | 'running' | 'completed' | 'cancelled' | 'failed-retry' | 'failed-final') {
    const name = `job-${randomUUID()}`;
    const task = await addTask(db.pool, { task_name: name, max_retries: state === 'failed-final' ? 0 : 3 });
    if (state === 'pending') return task;
    if (state === 'cancelled') return cancelTask(db.pool, task.id);
    const [claimed] = await claimTasks(db.pool, { workerId: 'w', taskNames: [name], limit: 1 });
    if (state === 'completed') await completeTasks(db.pool, { workerId: 'w', tasks: [{ id: task.id, attempt: 1 }] });
    if (state === 'failed-retry' || state === 'failed-final') {
      await failTask(db.pool, { id: task.id, attempt: 1, workerId: 'w', error: 'boom', retryDelayMs: 3_600_000 });
    }
    return state === 'running' ? claimed! : getTask(db.pool, task.id);
  }

  /** The error `promise` rejects with (fails the test if it resolves). */
  async function rejection(promise: Promise<unknown>): Promise<Error> {
    try {
      await promise;
    } catch (error) {
      return error as Error;
    }
    throw new Error('expected a rejection');
  }

  describe('addTask', () => {
    it('defaults to priority 0, scheduled now, pending, null payload, no attempts', async () => {
      const before = await dbNow();
      const task = await addTask(db.pool, { task_name: 'send-email', max_retries: 3 });
      const after = await dbNow();

      expect(task).toMatchObject({
        task_name: 'send-email',
        payload: null,
        status: 'pending',
        priority: 0,
        attempts: 0,
        max_retries: 3,
        max_retries_source: 'explicit',
        last_error: null,
        next_retry_at: null,
        locked_by: null,
        locked_at: null,
        started_at: null,
        finished_at: null,
      });
      expect(task.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      for (const column of ['scheduled_at', 'created_at', 'updated_at'] as const) {
        expect(task[column].getTime()).toBeGreaterThanOrEqual(before.getTime());
        expect(task[column].getTime()).toBeLessThanOrEqual(after.getTime());
      }
      expect(Object.keys(task).sort()).toEqual(
        [
          'id',
          'task_name',
          'payload',
          'status',
          'priority',
          'scheduled_at',
          'attempts',
          'max_retries',
          'max_retries_source',
          'last_error',
          'next_retry_at',
          'locked_by',
          'locked_at',
          'lease_expires_at',
          'timeout_ms',
          'result',
          'created_at',
          'updated_at',
          'started_at',
          'finished_at',
          'idempotency_key',
          'schedule_id',
          'schedule_tick',
          'attempt_history',
        ].sort(),
      );
    });

    it('stores the given priority, scheduled_at and max_retries', async () => {
      const at = new Date('2031-05-06T07:08:09.123Z');
      const task = await addTask(db.pool, { task_name: 'x', priority: -7, scheduled_at: at, max_retries: 0 });
      expect(task).toMatchObject({ priority: -7, max_retries: 0 });
      expect(task.scheduled_at).toEqual(at);
    });

    it.each([
      ['an array', [1, 'two', { three: 3 }, [4], null, true]],
      ['an empty array', []],
      ['an array of strings', ['a', 'b']],
      ['a string', 'hello'],
      ['a string that looks like JSON', '{"a":1}'],
      ['an empty string', ''],
      ['a number', 42],
      ['a negative fraction', -0.5],
      ['zero', 0],
      ['a boolean', false],
      ['an object', { to: 'a@example.com', nested: { list: [1, 2], flag: true, none: null }, unicode: 'ü ✓ 😀' }],
      ['an empty object', {}],
      ['an explicit null', null],
    ])('round-trips %s as a JSON payload', async (_label, payload) => {
      const task = await addTask(db.pool, { task_name: 'x', payload, max_retries: 0 });
      expect(task.payload).toEqual(payload);
      const stored = await getTask(db.pool, task.id);
      expect(stored.payload).toEqual(payload);
      expect(Array.isArray(stored.payload)).toBe(Array.isArray(payload));
      expect(typeof stored.payload).toBe(typeof payload);
    });

    it('stores an array payload as a JSON array, not a PostgreSQL array', async () => {
      const task = await addTask(db.pool, { task_name: 'x', payload: [1, 2, 3], max_retries: 0 });
      const { rows } = await db.pool.query(`select jsonb_typeof(payload) as type, payload::text as text from tasks where id = $1`, [
        task.id,
      ]);
      expect(rows[0]).toEqual({ type: 'array', text: '[1, 2, 3]' });
    });

    it('stores an omitted payload as SQL null, and an explicit null as JSON null', async () => {
      const omitted = await addTask(db.pool, { task_name: 'x', max_retries: 0 });
      const explicit = await addTask(db.pool, { task_name: 'x', payload: null, max_retries: 0 });
      const { rows } = await db.pool.query(
        `select id, payload is null as sql_null, jsonb_typeof(payload) as type from tasks where id = any($1::uuid[])`,
        [[omitted.id, explicit.id]],
      );
      const byId = Object.fromEntries(rows.map((row) => [row.id, row]));
      expect(byId[omitted.id]).toMatchObject({ sql_null: true, type: null });
      expect(byId[explicit.id]).toMatchObject({ sql_null: false, type: 'null' });
    });

    it('is rejected by the database for an empty task_name or negative max_retries', async () => {
      await expect(addTask(db.pool, { task_name: '', max_retries: 0 })).rejects.toMatchObject({ code: '23514' });
      await expect(addTask(db.pool, { task_name: 'x', max_retries: -1 })).rejects.toMatchObject({ code: '23514' });
    });

    it('works inside a caller transaction: rolled back, the task does not exist', async () => {
      const client = await db.pool.connect();
      let task: Task;
      try {
        await client.query('begin');
        task = await addTask(client, { task_name: 'in-tx', payload: { n: 1 }, max_retries: 1 });
        // Visible inside the transaction, not outside it.
        expect((await getTask(client, task.id)).task_name).toBe('in-tx');
        await expect(getTask(db.pool, task.id)).rejects.toBeInstanceOf(TaskNotFoundError);
        await client.query('rollback');
      } finally {
        client.release();
      }
      await expect(getTask(db.pool, task.id)).rejects.toBeInstanceOf(TaskNotFoundError);
      expect((await getTaskStats(db.pool)).total).toBe(0);
    });

    it('works inside a caller transaction: committed, the task exists', async () => {
      const client = await db.pool.connect();
      let task: Task;
      try {
        await client.query('begin');
        task = await addTask(client, { task_name: 'in-tx', max_retries: 1 });
        await client.query('commit');
      } finally {
        client.release();
      }
      expect(await getTask(db.pool, task.id)).toEqual(task);
    });
  });

  describe('getTask', () => {
    it('returns the stored task', async () => {
      const task = await addTask(db.pool, { task_name: 'x', payload: { a: 1 }, priority: 2, max_retries: 1 });
      expect(await getTask(db.pool, task.id)).toEqual(task);
    });

    it('throws TaskNotFoundError naming the id for an unknown id', async () => {
      const id = randomUUID();
      const error = await rejection(getTask(db.pool, id));
      expect(error).toBeInstanceOf(TaskNotFoundError);
      expect(error).toBeInstanceOf(TaskforgeError);
      expect(error.name).toBe('TaskNotFoundError');
      expect((error as TaskNotFoundError).taskId).toBe(id);
      expect(error.message).toBe(`task ${id} not found`);
    });
  });

  describe('cancelTask', () => {
    it('cancels a pending task, setting finished_at', async () => {
      const task = await add();
      const before = await dbNow();
      const cancelled = await cancelTask(db.pool, task.id);
      expect(cancelled).toMatchObject({ id: task.id, status: 'cancelled', attempts: 0, locked_by: null });
      expect(cancelled.finished_at).toBeInstanceOf(Date);
      expect(cancelled.finished_at!.getTime()).toBeGreaterThanOrEqual(before.getTime());
      expect(Math.abs(cancelled.finished_at!.getTime() - (await dbNow()).getTime())).toBeLessThan(CLOCK_TOLERANCE_MS);
      expect(cancelled.updated_at.getTime()).toBeGreaterThanOrEqual(task.updated_at.getTime());
      expect(await getTask(db.pool, task.id)).toEqual(cancelled);
    });

    it.each([
      ['running', 'running'],
      ['completed', 'completed'],
      ['cancelled', 'cancelled'],
      ['failed-retry', 'failed'],
      ['failed-final', 'failed'],
    ] as const)('refuses a %s task with a TaskStateConflictError naming its status', async (state, status) => {
      const task = await taskIn(state);
      const before = await getTask(db.pool, task.id);
      const error = await rejection(cancelTask(db.pool, task.id));
      expect(error).toBeInstanceOf(TaskStateConflictError);
      expect(error.name).toBe('TaskStateConflictError');
      expect((error as TaskStateConflictError).currentStatus).toBe(status);
      expect((error as TaskStateConflictError).taskId).toBe(task.id);
      expect(error.message).toContain(`its status is ${status}`);
      expect(error.message).toContain('cancel');
      expect(await getTask(db.pool, task.id)).toEqual(before);
    });

    it('throws TaskNotFoundError for an unknown id', async () => {
      await expect(cancelTask(db.pool, randomUUID())).rejects.toBeInstanceOf(TaskNotFoundError);
    });

    it('makes the task unclaimable', async () => {
      const task = await add('cancel-me');
      await cancelTask(db.pool, task.id);
      expect(await claimTasks(db.pool, { workerId: 'w', taskNames: ['cancel-me'], limit: 10 })).toEqual([]);
    });

    it('either cancels or loses to a concurrent claim, never both', async () => {
      for (let round = 0; round < 20; round += 1) {
        const task = await add(`race-${round}`);
        const [claimed, cancelled] = await Promise.allSettled([
          claimTasks(db.pool, { workerId: 'w', taskNames: [`race-${round}`], limit: 1 }),
          cancelTask(db.pool, task.id),
        ]);
        const claimWon = claimed.status === 'fulfilled' && claimed.value.length === 1;
        const cancelWon = cancelled.status === 'fulfilled';
        expect(claimWon !== cancelWon, `round ${round}`).toBe(true);
        if (!cancelWon) expect((cancelled as PromiseRejectedResult).reason).toBeInstanceOf(TaskStateConflictError);
        expect((await getTask(db.pool, task.id)).status).toBe(claimWon ? 'running' : 'cancelled');
      }
    });
  });

  describe('rescheduleTask', () => {
    it('moves the scheduled_at of a pending task', async () => {
      const task = await add();
      const at = new Date('2040-01-02T03:04:05.678Z');
      const moved = await rescheduleTask(db.pool, { id: task.id, scheduledAt: at });
      expect(moved).toMatchObject({ id: task.id, status: 'pending' });
      expect(moved.scheduled_at).toEqual(at);
      expect(await getTask(db.pool, task.id)).toEqual(moved);
    });

    it('into the future makes a task unclaimable, back into the past claimable', async () => {
      const task = await add('move-me');
      const claim = () => claimTasks(db.pool, { workerId: 'w', taskNames: ['move-me'], limit: 10 });
      await rescheduleTask(db.pool, { id: task.id, scheduledAt: new Date(Date.now() + 3_600_000) });
      expect(await claim()).toEqual([]);
      await rescheduleTask(db.pool, { id: task.id, scheduledAt: new Date(Date.now() - 60_000) });
      expect((await claim()).map((t) => t.id)).toEqual([task.id]);
    });

    it.each([
      ['running', 'running'],
      ['completed', 'completed'],
      ['cancelled', 'cancelled'],
      ['failed-retry', 'failed'],
      ['failed-final', 'failed'],
    ] as const)('refuses a %s task with a TaskStateConflictError naming its status', async (state, status) => {
      const task = await taskIn(state);
      const before = await getTask(db.pool, task.id);
      const error = await rejection(rescheduleTask(db.pool, { id: task.id, scheduledAt: new Date() }));
      expect(error).toBeInstanceOf(TaskStateConflictError);
      expect((error as TaskStateConflictError).currentStatus).toBe(status);
      expect(error.message).toContain(`its status is ${status}`);
      expect(error.message).toContain('reschedule');
      expect(await getTask(db.pool, task.id)).toEqual(before);
    });

    it('throws TaskNotFoundError for an unknown id', async () => {
      await expect(rescheduleTask(db.pool, { id: randomUUID(), scheduledAt: new Date() })).rejects.toBeInstanceOf(TaskNotFoundError);
    });
  });

  describe('getTaskStats', () => {
    it('returns every status with zeros on an empty table', async () => {
      const stats = await getTaskStats(db.pool);
      expect(stats).toEqual({
        pending: 0,
        running: 0,
        completed: 0,
        failed: 0,
        cancelled: 0,
        failed_awaiting_retry: 0,
        failed_permanently: 0,
        total: 0,
      });
      for (const status of TASK_STATUSES) expect(stats).toHaveProperty(status);
    });

    it('counts each status, splits failed into awaiting retry and permanent, and totals as numbers', async () => {
      await taskIn('pending');
      await taskIn('pending');
      await taskIn('running');
      await taskIn('completed');
      await taskIn('completed');
      await taskIn('completed');
      await taskIn('cancelled');
      await taskIn('failed-retry');
      await taskIn('failed-final');
      await taskIn('failed-final');

      expect(await getTaskStats(db.pool)).toEqual({
        pending: 2,
        running: 1,
        completed: 3,
        failed: 3,
        cancelled: 1,
        failed_awaiting_retry: 1,
        failed_permanently: 2,
        total: 10,
      });
    });
  });
});
