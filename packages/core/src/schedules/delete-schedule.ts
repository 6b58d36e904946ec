import type { Queryable } from '../db/queryable.js';
import { ScheduleNotFoundError } from './schedule-errors.js';

/**
 * Deletes a schedule; the tasks it made stay (they only name its id, with no foreign key),
 * including any not yet run. Throws ScheduleNotFoundError when there is none.
 */
export async function deleteSchedule(db: Queryable, id: string): Promise<void> {
  const { rowCount } = await db.query('delete from task_schedules where id = $1', [id]);
  if (rowCount === 0) throw new ScheduleNotFoundError(id);
}
