import type { Queryable } from '../db/queryable.js';
import type { TaskNotifier } from '../notify/task-notifier.js';
import { TASK_COLUMNS, type Task } from './task.js';

export interface AddTaskOptions {
  /**
   * Wakes idle workers once the task is inserted. Pass it when `db` is the pool; inside your
   * own transaction, call `notifier.tasksAdded()` after COMMIT instead (a worker woken before
   * the commit would not see the task yet).
   */
  notifier?: TaskNotifier;
}

export interface NewTask {
  task_name: string;
  payload?: unknown;
  /** Due now when omitted. */
  scheduled_at?: Date;
  /** Higher runs first; 0 when omitted. */
  priority?: number;
  max_retries: number;
  /** Longest one attempt may run, in milliseconds; no limit when omitted. */
  timeout_ms?: number | null;
}

/**
 * Inserts one pending task. The row is committed (or part of the caller's transaction)
 * before this resolves, so an acknowledged task is never lost.
 */
export async function addTask(db: Queryable, task: NewTask, options: AddTaskOptions = {}): Promise<Task> {
  const { rows } = await db.query<Task>(
    `insert into tasks (task_name, payload, priority, scheduled_at, max_retries, timeout_ms)
     values ($1, $2::jsonb, $3, coalesce($4, now()), $5, $6)
     returning ${TASK_COLUMNS}`,
    [
      task.task_name,
      // Stringified by us: node-postgres would turn a JS array into a PostgreSQL array literal.
      task.payload === undefined ? null : JSON.stringify(task.payload),
      task.priority ?? 0,
      task.scheduled_at ?? null,
      task.max_retries,
      task.timeout_ms ?? null,
    ],
  );
  const added = rows[0]!;
  options.notifier?.tasksAdded(added.scheduled_at.getTime() - added.created_at.getTime());
  return added;
}
