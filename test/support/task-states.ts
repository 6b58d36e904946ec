import { randomUUID } from 'node:crypto';
import {
  addTask,
  cancelTask,
  claimTasks,
  completeTasks,
  failTask,
  getTask,
  type Queryable,
  type Task,
} from '../../packages/core/src/index.js';

export type TaskState = 'pending' | 'running' | 'completed' | 'cancelled' | 'failed-retry' | 'failed-final';
export const TASK_STATES: readonly TaskState[] = ['pending', 'running', 'completed', 'cancelled', 'failed-retry', 'failed-final'];

/** The worker id tasks in `running` (and past states) were claimed by. */
export const STATE_WORKER = 'state-worker';

/**
 * A task in the given state, reached through the real transitions (a failed-retry task waits
 * an hour for its retry). Each gets a task name of its own, so its claim takes only it.
 */
export async function taskInState(db: Queryable, state: TaskState): Promise<Task> {
  const name = `job-${randomUUID()}`;
  const task = await addTask(db, { task_name: name, max_retries: state === 'failed-final' ? 0 : 3 });
  if (state === 'pending') return task;
  if (state === 'cancelled') return cancelTask(db, task.id);
  await claimTasks(db, { workerId: STATE_WORKER, taskNames: [name], limit: 1 });
  const attempt = { id: task.id, attempt: 1 };
  if (state === 'completed') await completeTasks(db, { workerId: STATE_WORKER, tasks: [attempt] });
  if (state === 'failed-retry' || state === 'failed-final') {
    await failTask(db, { ...attempt, workerId: STATE_WORKER, error: 'boom', retryDelayMs: 3_600_000 });
  }
  return getTask(db, task.id);
}
