import type { Queryable } from '../db/queryable.js';
import { TaskStateConflictError } from '../errors.js';
import { getTask } from './get-task.js';
import { TASK_COLUMNS, type Task } from './task.js';

/** Moves a pending task's due time; conditional on `status = 'pending'` like cancelTask. */
export async function rescheduleTask(db: Queryable, params: { id: string; scheduledAt: Date }): Promise<Task> {
  const { rows } = await db.query<Task>(
    `update tasks
        set scheduled_at = $2, updated_at = now()
      where id = $1 and status = 'pending'
      returning ${TASK_COLUMNS}`,
    [params.id, params.scheduledAt],
  );
  if (rows.length === 1) return rows[0]!;
  const current = await getTask(db, params.id);
  throw new TaskStateConflictError(params.id, current.status, 'reschedule', 'pending');
}
