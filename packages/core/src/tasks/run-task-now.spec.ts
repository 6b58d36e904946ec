import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { taskInState, type TaskState } from '../../../../test/support/task-states.js';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { TaskNotFoundError, TaskStateConflictError } from '../errors.js';
import { addTask } from './add-task.js';
import { claimTasks } from './claim-tasks.js';
import { getTask } from './get-task.js';
import { runTaskNow } from './run-task-now.js';

describe('runTaskNow', () => {
  const db = useTestDatabase({ truncateEach: true });

  async function dbNow(): Promise<Date> {
    const { rows } = await db.pool.query<{ now: Date }>('select now() as now');
    return rows[0]!.now;
  }

  it('makes a pending task scheduled for later due now, changing nothing else', async () => {
    const later = await addTask(db.pool, { task_name: 'job', max_retries: 3, scheduled_at: new Date(Date.now() + 3_600_000) });
    expect(await claimTasks(db.pool, { workerId: 'w', taskNames: ['job'], limit: 1 })).toEqual([]);

    const due = await runTaskNow(db.pool, later.id);
    expect(due).toEqual({ ...later, scheduled_at: expect.any(Date), updated_at: expect.any(Date) });
    expect(due.scheduled_at.getTime()).toBeLessThanOrEqual((await dbNow()).getTime());

    const [claimed] = await claimTasks(db.pool, { workerId: 'w', taskNames: ['job'], limit: 1 });
    expect(claimed?.id).toBe(later.id);
  });

  it('keeps the place of a task that is already due: its scheduled_at never moves later', async () => {
    const overdue = await addTask(db.pool, { task_name: 'job', max_retries: 3, scheduled_at: new Date('2020-01-01T00:00:00Z') });
    const due = await runTaskNow(db.pool, overdue.id);
    expect(due.scheduled_at).toEqual(new Date('2020-01-01T00:00:00Z'));
  });

  it('skips the backoff of a failed task awaiting its retry: still failed, its attempts kept, due now', async () => {
    const failed = await taskInState(db.pool, 'failed-retry');
    expect(failed.next_retry_at!.getTime()).toBeGreaterThan(Date.now());

    const due = await runTaskNow(db.pool, failed.id);
    expect(due).toMatchObject({ status: 'failed', attempts: 1, last_error: 'boom' });
    expect(due.scheduled_at.getTime()).toBeLessThanOrEqual((await dbNow()).getTime());
    expect(due.next_retry_at).toEqual(due.scheduled_at);

    const [claimed] = await claimTasks(db.pool, { workerId: 'w', taskNames: [failed.task_name], limit: 1 });
    expect(claimed).toMatchObject({ id: failed.id, attempts: 2 });
  });

  it.each(['running', 'completed', 'cancelled', 'failed-final'] as const satisfies readonly TaskState[])(
    'refuses a %s task with TaskStateConflictError naming its status, and leaves it unchanged',
    async (state) => {
      const before = await taskInState(db.pool, state);
      const error = await runTaskNow(db.pool, before.id).catch((thrown: unknown) => thrown);
      expect(error).toBeInstanceOf(TaskStateConflictError);
      expect((error as TaskStateConflictError).currentStatus).toBe(before.status);
      expect((error as Error).message).toContain('only a pending or failed (awaiting a retry) task can be');
      expect(await getTask(db.pool, before.id)).toEqual(before);
    },
  );

  it('throws TaskNotFoundError for an unknown id', async () => {
    await expect(runTaskNow(db.pool, randomUUID())).rejects.toBeInstanceOf(TaskNotFoundError);
  });
});
