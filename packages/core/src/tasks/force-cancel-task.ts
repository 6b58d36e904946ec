import type { Queryable } from '../db/queryable.js';
import { TaskStateConflictError } from '../errors.js';
import { CANCEL_CHANNEL } from '../notify/channel.js';
import { appendAttemptRecord } from './attempt-history.js';
import { getTask } from './get-task.js';
import { TASK_COLUMNS, type Task } from './task.js';

/**
 * Cancels a task that has not reached a final state: pending, failed awaiting a retry, or
 * running. A running task's attempt joins attempt_history as `cancelled`, its lock and lease
 * are cleared; the row is final at once, so the worker's fenced completion of that attempt
 * is refused whatever the handler does next.
 *
 * One statement, so the NOTIFY naming the task on CANCEL_CHANNEL goes out in the same
 * transaction, at its commit (never for a cancel that rolled back): the worker running the task
 * aborts it through its AbortSignal. Every force cancel notifies, not only a running task's:
 * a task just rescued from a worker that lost its lease may still run there. Conditional like
 * cancelTask, so it cannot race a claim or a completion: whichever commits first wins.
 */
export async function forceCancelTask(db: Queryable, id: string): Promise<Task> {
  const { rows } = await db.query<Task>(
    `with cancelled as (
       update tasks t
          set status = 'cancelled',
              attempt_history = case when t.status = 'running'
                                     then ${appendAttemptRecord('cancelled')}
                                     else t.attempt_history end,
              next_retry_at = null,
              locked_by = null,
              locked_at = null,
              lease_expires_at = null,
              finished_at = now(),
              updated_at = now()
        where t.id = $1
          and not taskforge_task_is_final(t.status, t.next_retry_at)
       returning ${TASK_COLUMNS}
     )
     select cancelled.* from cancelled cross join lateral pg_notify($2, cancelled.id::text)`,
    [id, CANCEL_CHANNEL],
  );
  if (rows.length === 1) return rows[0]!;
  const current = await getTask(db, id);
  throw new TaskStateConflictError(id, current.status, 'cancel', 'pending, running or failed (awaiting a retry)');
}
