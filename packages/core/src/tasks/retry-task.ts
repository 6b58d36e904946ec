import type { Queryable } from '../db/queryable.js';
import { TaskStateConflictError } from '../errors.js';
import { getTask } from './get-task.js';
import { TASK_COLUMNS, type Task } from './task.js';

/**
 * Puts a failed (for good, or awaiting a retry) or cancelled task back in the queue: pending,
 * due now, with a fresh set of attempts. Its last_error and attempt_history stay, so the
 * earlier runs remain visible. One conditional UPDATE, so it cannot race a worker's claim
 * (a failed task awaiting its retry is claimable): whichever commits first wins, and the
 * loser learns the real status.
 */
export async function retryTask(db: Queryable, id: string): Promise<Task> {
  const { rows } = await db.query<Task>(
    `update tasks
        set status = 'pending',
            scheduled_at = now(),
            attempts = 0,
            next_retry_at = null,
            finished_at = null,
            updated_at = now()
      where id = $1 and status in ('failed', 'cancelled')
      returning ${TASK_COLUMNS}`,
    [id],
  );
  if (rows.length === 1) return rows[0]!;
  const current = await getTask(db, id);
  throw new TaskStateConflictError(id, current.status, 'retry', 'failed or cancelled');
}
