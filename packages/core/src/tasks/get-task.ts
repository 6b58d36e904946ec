import type { Queryable } from '../db/queryable.js';
import { TaskNotFoundError } from '../errors.js';
import { TASK_COLUMNS, type Task } from './task.js';

/** The task with this id; throws TaskNotFoundError when there is none. */
export async function getTask(db: Queryable, id: string): Promise<Task> {
  const { rows } = await db.query<Task>(`select ${TASK_COLUMNS} from tasks where id = $1`, [id]);
  if (rows.length === 0) throw new TaskNotFoundError(id);
  return rows[0]!;
}
