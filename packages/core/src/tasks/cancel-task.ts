import type { Queryable } from '../db/queryable.js';
import { TaskStateConflictError } from '../errors.js';
import { getTask } from './get-task.js';
import { TASK_COLUMNS, type Task } from './task.js';

/**
 * Cancels a pending task. The update is conditional on `status = 'pending'`, so it cannot
 * race a worker's claim: whichever commits first wins, and the loser learns the real status.
 */
export async function cancelTask(db: Queryable, id: string): Promise<Task> {
  const { rows } = await db.query<Task>(
    `update tasks
        set status = 'cancelled', finished_at = now(), updated_at = now()
      where id = $1 and status = 'pending'
      returning ${TASK_COLUMNS}`,
    [id],
  );
  if (rows.length === 1) return rows[0]!;
  const current = await getTask(db, id);
  throw new TaskStateConflictError(id, current.status, 'cancel', 'pending');
}
