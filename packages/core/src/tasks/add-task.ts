import type { Queryable } from '../db/queryable.js';
import type { TaskNotifier } from '../notify/task-notifier.js';
import { submitTask } from './submit-task.js';
import type { Task } from './task.js';

export interface AddTaskOptions {
  /**
   * Wakes idle workers once the task is inserted. Pass it when `db` is the pool; inside your
   * own transaction, call `notifier.tasksAdded()` after COMMIT instead (a worker woken before
   * the commit would not see the task yet).
   */
  notifier?: TaskNotifier;
  /**
   * For a task with an `idempotency_key`: how long after the task holding the key finished
   * the key still returns that task, in milliseconds (default 24 h, like
   * TASK_IDEMPOTENCY_WINDOW). 0 frees the key as soon as its task finishes.
   */
  idempotencyWindowMs?: number;
}

export interface NewTask {
  task_name: string;
  payload?: unknown;
  /** Due now when omitted. */
  scheduled_at?: Date;
  /** Higher runs first; 0 when omitted. */
  priority?: number;
  /** Retries after the first attempt: at most 1 + max_retries runs. */
  max_retries: number;
  /**
   * `explicit` (when omitted): max_retries is the task's limit. `default`: max_retries is only
   * the fallback for a submitter that was not given one (the API's DEFAULT_MAX_RETRIES): the
   * worker that starts the task's first attempt replaces it with its handler's maxRetries, if
   * the handler sets one.
   */
  max_retries_source?: 'explicit' | 'default';
  /** Longest one attempt may run, in milliseconds; no limit when omitted. */
  timeout_ms?: number | null;
  /**
   * Deduplication key (1–255 characters). While a task holding it is unfinished, or finished
   * less than the idempotency window ago, adding a task with the same key returns that task
   * instead of inserting one (see submitTask). The key names the task, not its content: a
   * different payload under the same key still gets the existing task.
   */
  idempotency_key?: string | null;
}

/**
 * Inserts one pending task, or, when its `idempotency_key` is held, returns the task holding
 * it (use submitTask to tell the two apart). The row is committed (or part of the caller's
 * transaction) before this resolves, so an acknowledged task is never lost.
 */
export async function addTask(db: Queryable, task: NewTask, options: AddTaskOptions = {}): Promise<Task> {
  return (await submitTask(db, task, options)).task;
}
