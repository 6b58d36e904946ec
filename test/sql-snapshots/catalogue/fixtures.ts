import type { Pool } from 'pg';
import { createSchedule, type NewSchedule } from '../../../packages/core/src/schedules/create-schedule.js';
import type { Schedule } from '../../../packages/core/src/schedules/schedule.js';
import type { NewTask } from '../../../packages/core/src/tasks/add-task.js';
import { claimTasks } from '../../../packages/core/src/tasks/claim-tasks.js';
import type { TaskAttempt } from '../../../packages/core/src/tasks/complete-tasks.js';
import { insertTask } from '../../../packages/core/src/tasks/insert-task.js';

/** The worker every scenario's running tasks belong to. */
export const WORKER_ID = 'worker-1';

export const EMAIL_TASK: NewTask = { task_name: 'email', payload: { to: 'ada@example.com' }, max_retries: 3 };

export const NIGHTLY_REPORT: NewSchedule = {
  name: 'nightly-report',
  cron: '0 3 * * *',
  timezone: 'Europe/Paris',
  task_name: 'report',
  payload: { kind: 'daily' },
};

/** A pending task, due now. */
export async function pendingTask(pool: Pool, task: Partial<NewTask> = {}): Promise<string> {
  return (await insertTask(pool, { ...EMAIL_TASK, ...task })).id;
}

/** A task claimed by WORKER_ID, on its first attempt. */
export async function runningTask(pool: Pool): Promise<TaskAttempt> {
  await pendingTask(pool);
  const [claimed] = await claimTasks(pool, { workerId: WORKER_ID, taskNames: [EMAIL_TASK.task_name], limit: 1 });
  return { id: claimed!.id, attempt: claimed!.attempts };
}

/** A task that finished long ago (completed, cancelled or failed for good), holding `idempotencyKey` when given. */
export async function finishedTask(
  pool: Pool,
  status: 'completed' | 'cancelled' | 'failed',
  idempotencyKey: string | null = null,
): Promise<string> {
  const id = await pendingTask(pool);
  await pool.query(`update tasks set status = $2, finished_at = now() - interval '90 days', idempotency_key = $3 where id = $1`, [
    id,
    status,
    idempotencyKey,
  ]);
  return id;
}

/** NIGHTLY_REPORT (or another schedule), stored. */
export async function storedSchedule(pool: Pool, schedule: Partial<NewSchedule> = {}): Promise<Schedule> {
  return createSchedule(pool, { ...NIGHTLY_REPORT, ...schedule });
}

/** A schedule whose next tick was a minute ago. */
export async function dueSchedule(pool: Pool, schedule: Partial<NewSchedule> = {}): Promise<Schedule> {
  const stored = await storedSchedule(pool, schedule);
  await pool.query(`update task_schedules set next_run_at = now() - interval '1 minute' where id = $1`, [stored.id]);
  return stored;
}
