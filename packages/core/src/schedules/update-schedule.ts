import type { Queryable } from '../db/queryable.js';
import { asNameConflict, type NewSchedule } from './create-schedule.js';
import { CronExpression } from './cron-expression.js';
import { databaseNow } from './database-now.js';
import { getSchedule } from './get-schedules.js';
import { SCHEDULE_COLUMNS, type Schedule } from './schedule.js';

/** Any fields of a schedule; `max_retries` and `timeout_ms` may be set to null (back to the worker's default). */
export type ScheduleChanges = Partial<NewSchedule>;

/** Plain columns a change may set, each taken from the field of the same name. */
const PLAIN_COLUMNS = ['name', 'task_name', 'priority', 'max_retries', 'timeout_ms', 'missed_ticks', 'paused'] as const;

/** Rounds of read-then-write before giving up when other writers keep changing the schedule. */
const MAX_ROUNDS = 5;

/**
 * Changes a schedule. A new cron expression or time zone, or resuming a paused schedule,
 * recomputes `next_run_at` as the first tick after the database's now: ticks that passed while
 * it was paused are not caught up. Other changes leave `next_run_at` alone. Throws
 * ScheduleNotFoundError, InvalidScheduleError or ScheduleNameConflictError.
 */
export async function updateSchedule(db: Queryable, id: string, changes: ScheduleChanges): Promise<Schedule> {
  for (let round = 1; ; round += 1) {
    const current = await getSchedule(db, id);
    const cron = changes.cron?.trim() ?? current.cron;
    const timezone = changes.timezone ?? current.timezone;
    const timingChanged = cron !== current.cron || timezone !== current.timezone;
    const resumed = current.paused && changes.paused === false;

    const values: unknown[] = [id, current.cron, current.timezone, current.paused];
    const sets: string[] = ['updated_at = now()'];
    const set = (column: string, value: unknown, cast = '') => {
      values.push(value);
      sets.push(`${column} = $${values.length}${cast}`);
    };
    for (const column of PLAIN_COLUMNS) if (changes[column] !== undefined) set(column, changes[column]);
    if (changes.payload !== undefined) set('payload', JSON.stringify(changes.payload), '::jsonb');
    if (timingChanged) {
      set('cron', cron);
      set('timezone', timezone);
    }
    if (timingChanged || resumed) {
      const expression = CronExpression.parse(cron, timezone);
      set('next_run_at', expression.nextAfter(await databaseNow(db)));
    }

    let rows: Schedule[];
    try {
      // Conditional on what the decision above read, so a concurrent change of the timing
      // cannot leave next_run_at computed from an expression the row no longer holds.
      ({ rows } = await db.query<Schedule>(
        `update task_schedules set ${sets.join(', ')}
          where id = $1 and cron = $2 and timezone = $3 and paused = $4
          returning ${SCHEDULE_COLUMNS}`,
        values,
      ));
    } catch (error) {
      throw asNameConflict(error, changes.name ?? current.name);
    }
    if (rows.length === 1) return rows[0]!;
    if (round >= MAX_ROUNDS) throw new Error(`schedule ${id} kept changing under this update; try again`);
  }
}
