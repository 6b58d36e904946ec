/*
 * A task's states, defined once for every TypeScript part of taskforge: the engine and the API
 * (through @taskforge/core), the client, the CLI and the dashboard (through @taskforge/client).
 * Their SQL twin is packages/core/sql/task-states.sql, which the claim's index and every query
 * that asks "is it queued / final?" use; packages/core/src/tasks/task-states.spec.ts checks that
 * the two agree on every status and that TASK_STATUSES is the table's list.
 *
 * A task's `status` is one of five. `failed` alone does not say whether the task is done: a
 * failed task with `next_retry_at` set will be claimed again when that time comes. So the
 * state that matters is the status with `failed` split in two, the six states below.
 */

/** The statuses a task can have, as stored and as the API reports them. */
export const TASK_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** The status with `failed` split by whether a retry is ahead: what the queue's counts report. */
export const TASK_STATES = ['pending', 'running', 'completed', 'failed_awaiting_retry', 'failed_permanently', 'cancelled'] as const;
export type TaskState = (typeof TASK_STATES)[number];

/** Waiting for a worker: claimable once `scheduled_at` has come. */
export const QUEUED_STATES = ['pending', 'failed_awaiting_retry'] as const satisfies readonly TaskState[];
/** Nothing will change it unless someone acts (retry); retention may delete it. */
export const FINAL_STATES = ['completed', 'failed_permanently', 'cancelled'] as const satisfies readonly TaskState[];

/** The two fields a task's state depends on (a Date from the engine, an ISO string from the API). */
export interface TaskStateFields {
  readonly status: TaskStatus;
  readonly next_retry_at: Date | string | null;
}

export function taskState(task: TaskStateFields): TaskState {
  if (task.status !== 'failed') return task.status;
  return task.next_retry_at === null ? 'failed_permanently' : 'failed_awaiting_retry';
}

/** Pending, or failed with a retry ahead: a worker will claim it once it is due. */
export function isQueued(task: TaskStateFields): boolean {
  return (QUEUED_STATES as readonly TaskState[]).includes(taskState(task));
}

/** Completed, cancelled, or failed with no retry left. */
export function isFinal(task: TaskStateFields): boolean {
  return (FINAL_STATES as readonly TaskState[]).includes(taskState(task));
}

/** Failed with a retry ahead: not final, a worker claims it again at next_retry_at. */
export function isAwaitingRetry(task: TaskStateFields): boolean {
  return taskState(task) === 'failed_awaiting_retry';
}
