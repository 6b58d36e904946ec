import type { Queryable } from '../db/queryable.js';
import { SCHEDULE_COLUMNS, type Schedule } from './schedule.js';
import { ScheduleNotFoundError } from './schedule-errors.js';

/** The schedule with this id; throws ScheduleNotFoundError when there is none. */
export async function getSchedule(db: Queryable, id: string): Promise<Schedule> {
  const { rows } = await db.query<Schedule>(`select ${SCHEDULE_COLUMNS} from task_schedules where id = $1`, [id]);
  if (rows.length === 0) throw new ScheduleNotFoundError(id);
  return rows[0]!;
}

/** Every schedule, ordered by name (names are unique, so the order is total). */
export async function listSchedules(db: Queryable): Promise<Schedule[]> {
  const { rows } = await db.query<Schedule>(`select ${SCHEDULE_COLUMNS} from task_schedules order by name`);
  return rows;
}
