import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { taskInState, type TaskState } from '../../../../test/support/task-states.js';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { TaskNotFoundError, TaskStateConflictError } from '../errors.js';
import { claimTasks } from './claim-tasks.js';
import { getTask } from './get-task.js';
import { retryTask } from './retry-task.js';

describe('retryTask', () => {
  const db = useTestDatabase({ truncateEach: true });

  async function dbNow(): Promise<Date> {
    const { rows } = await db.pool.query<{ now: Date }>('select now() as now');
    return rows[0]!.now;
  }

  it.each(['failed-retry', 'failed-final', 'cancelled'] as const)(
    'puts a %s task back as pending, due now, with its attempts reset and its history kept',
    async (state) => {
      const before = await taskInState(db.pool, state);
      const retried = await retryTask(db.pool, before.id);
      expect(retried).toMatchObject({
        id: before.id,
        status: 'pending',
        attempts: 0,
        next_retry_at: null,
        finished_at: null,
        locked_by: null,
        last_error: before.last_error,
        attempt_history: before.attempt_history,
      });
      expect(retried.scheduled_at.getTime()).toBeLessThanOrEqual((await dbNow()).getTime());
      expect(retried.updated_at.getTime()).toBeGreaterThanOrEqual(before.updated_at.getTime());
      expect(await getTask(db.pool, before.id)).toEqual(retried);
    },
  );

  it('makes the task claimable at once, its next run counted as attempt 1', async () => {
    const failed = await taskInState(db.pool, 'failed-final');
    await retryTask(db.pool, failed.id);
    const [claimed] = await claimTasks(db.pool, { workerId: 'w2', taskNames: [failed.task_name], limit: 1 });
    expect(claimed).toMatchObject({ id: failed.id, status: 'running', attempts: 1, locked_by: 'w2' });
  });

  it.each(['pending', 'running', 'completed'] as const satisfies readonly TaskState[])(
    'refuses a %s task with TaskStateConflictError naming its status, and leaves it unchanged',
    async (state) => {
      const before = await taskInState(db.pool, state);
      const error = await retryTask(db.pool, before.id).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(TaskStateConflictError);
      expect((error as TaskStateConflictError).currentStatus).toBe(state);
      expect((error as Error).message).toContain('only a failed or cancelled task can be');
      expect(await getTask(db.pool, before.id)).toEqual(before);
    },
  );

  it('throws TaskNotFoundError for an unknown id', async () => {
    await expect(retryTask(db.pool, randomUUID())).rejects.toBeInstanceOf(TaskNotFoundError);
  });
});
