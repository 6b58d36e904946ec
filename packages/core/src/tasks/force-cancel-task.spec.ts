import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { STATE_WORKER, taskInState, type TaskState } from '../../../../test/support/task-states.js';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { TaskNotFoundError, TaskStateConflictError } from '../errors.js';
import { CANCEL_CHANNEL } from '../notify/channel.js';
import { cancelledTaskIds } from './cancelled-task-ids.js';
import { completeTasks } from './complete-tasks.js';
import { failTask } from './fail-task.js';
import { forceCancelTask } from './force-cancel-task.js';
import { getTask } from './get-task.js';
import { renewLeases } from './renew-leases.js';

describe('forceCancelTask', () => {
  const db = useTestDatabase({ truncateEach: true });
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** Every payload NOTIFYed on the cancel channel, in order. */
  async function cancelNotices(): Promise<string[]> {
    const payloads: string[] = [];
    const client = new pg.Client({ connectionString: db.url });
    await client.connect();
    client.on('notification', (message) => payloads.push(message.payload ?? ''));
    await client.query(`listen ${CANCEL_CHANNEL}`);
    cleanups.push(() => client.end());
    return payloads;
  }

  /** Sends a marker and waits for it: every notice sent before it has arrived by then. */
  async function noticesSoFar(payloads: string[]): Promise<string[]> {
    const marker = `marker-${randomUUID()}`;
    await db.pool.query('select pg_notify($1, $2)', [CANCEL_CHANNEL, marker]);
    await waitFor('the marker notice', () => payloads.includes(marker));
    return payloads.filter((payload) => payload !== marker);
  }

  it('cancels a running task: lock and lease cleared, finished, a cancelled record in its history, and the task id NOTIFYed', async () => {
    const notices = await cancelNotices();
    const running = await taskInState(db.pool, 'running');

    const cancelled = await forceCancelTask(db.pool, running.id);
    expect(cancelled).toMatchObject({
      id: running.id,
      status: 'cancelled',
      attempts: 1,
      locked_by: null,
      locked_at: null,
      lease_expires_at: null,
      next_retry_at: null,
    });
    expect(cancelled.finished_at).toBeInstanceOf(Date);
    expect(cancelled.attempt_history).toEqual([
      {
        attempt: 1,
        worker_id: STATE_WORKER,
        started_at: running.started_at!.toISOString(),
        finished_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
        outcome: 'cancelled',
        error: null,
      },
    ]);
    expect(await getTask(db.pool, running.id)).toEqual(cancelled);
    await waitFor('the cancel notice', () => notices.includes(running.id));
  });

  it("leaves the worker's attempt nothing to write: completion, failure and heartbeat are all refused", async () => {
    const running = await taskInState(db.pool, 'running');
    const cancelled = await forceCancelTask(db.pool, running.id);
    const attempt = { id: running.id, attempt: 1 };

    expect(await completeTasks(db.pool, { workerId: STATE_WORKER, tasks: [attempt] })).toEqual([]);
    expect(await failTask(db.pool, { ...attempt, workerId: STATE_WORKER, error: 'late', retryDelayMs: 0 })).toBeNull();
    expect(await renewLeases(db.pool, { workerId: STATE_WORKER, leaseMs: 30_000, tasks: [attempt] })).toEqual([]);
    expect(await getTask(db.pool, running.id)).toEqual(cancelled);
    expect(await cancelledTaskIds(db.pool, [running.id, randomUUID()])).toEqual(new Set([running.id]));
  });

  it.each(['pending', 'failed-retry'] as const satisfies readonly TaskState[])(
    'cancels a %s task without adding to its history, and NOTIFYs too',
    async (state) => {
      const notices = await cancelNotices();
      const before = await taskInState(db.pool, state);
      const cancelled = await forceCancelTask(db.pool, before.id);
      expect(cancelled).toMatchObject({ status: 'cancelled', next_retry_at: null, attempt_history: before.attempt_history });
      expect(cancelled.finished_at).toBeInstanceOf(Date);
      expect(await noticesSoFar(notices)).toEqual([before.id]);
    },
  );

  it.each(['completed', 'failed-final', 'cancelled'] as const satisfies readonly TaskState[])(
    'refuses a %s task with TaskStateConflictError, leaves it unchanged and NOTIFYs nothing',
    async (state) => {
      const notices = await cancelNotices();
      const before = await taskInState(db.pool, state);
      const error = await forceCancelTask(db.pool, before.id).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(TaskStateConflictError);
      expect((error as TaskStateConflictError).currentStatus).toBe(before.status);
      expect(await getTask(db.pool, before.id)).toEqual(before);
      expect(await noticesSoFar(notices)).toEqual([]);
    },
  );

  it('NOTIFYs only when the cancel commits: a rolled-back cancel sends nothing and changes nothing', async () => {
    const notices = await cancelNotices();
    const running = await taskInState(db.pool, 'running');
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await forceCancelTask(client, running.id);
      await client.query('rollback');
    } finally {
      client.release();
    }
    expect(await getTask(db.pool, running.id)).toEqual(running);
    expect(await noticesSoFar(notices)).toEqual([]);
  });

  it('races a completion safely: the task ends either completed or cancelled, never written twice', async () => {
    for (let round = 0; round < 10; round += 1) {
      const running = await taskInState(db.pool, 'running');
      const [completed, cancel] = await Promise.allSettled([
        completeTasks(db.pool, { workerId: STATE_WORKER, tasks: [{ id: running.id, attempt: 1 }] }),
        forceCancelTask(db.pool, running.id),
      ]);
      const final = await getTask(db.pool, running.id);
      if (cancel.status === 'fulfilled') {
        expect(completed).toEqual({ status: 'fulfilled', value: [] });
        expect(final.status).toBe('cancelled');
        expect(final.attempt_history.map((record) => record.outcome)).toEqual(['cancelled']);
      } else {
        expect(cancel.reason).toBeInstanceOf(TaskStateConflictError);
        expect(final.status).toBe('completed');
        expect(final.attempt_history.map((record) => record.outcome)).toEqual(['completed']);
      }
    }
  });

  it('throws TaskNotFoundError for an unknown id', async () => {
    await expect(forceCancelTask(db.pool, randomUUID())).rejects.toBeInstanceOf(TaskNotFoundError);
  });
});
