import type { Queryable } from '../db/queryable.js';
import { CronExpression } from './cron-expression.js';
import { databaseNow } from './database-now.js';
import { SCHEDULE_COLUMNS, type MissedTicksPolicy, type Schedule } from './schedule.js';
import { ScheduleNameConflictError } from './schedule-errors.js';

export interface NewSchedule {
  name: string;
  cron: string;
  /** IANA time zone; UTC when omitted. */
  timezone?: string;
  task_name: string;
  payload?: unknown;
  priority?: number;
  /** Null or omitted: the handler's maxRetries, if it sets one; else the firing worker's DEFAULT_MAX_RETRIES. */
  max_retries?: number | null;
  timeout_ms?: number | null;
  /** 'run_once' when omitted. */
  missed_ticks?: MissedTicksPolicy;
  paused?: boolean;
}

/**
 * Stores a schedule whose first tick is the first one after the database's now. Throws
 * InvalidScheduleError for a bad cron or time zone, ScheduleNameConflictError for a taken name.
 */
export async function createSchedule(db: Queryable, schedule: NewSchedule): Promise<Schedule> {
  const timezone = schedule.timezone ?? 'UTC';
  const cron = schedule.cron.trim();
  const expression = CronExpression.parse(cron, timezone);
  const nextRunAt = expression.nextAfter(await databaseNow(db));
  try {
    const { rows } = await db.query<Schedule>(
      `insert into task_schedules
         (name, cron, timezone, task_name, payload, priority, max_retries, timeout_ms, missed_ticks, paused, next_run_at)
       values ($1, $2, $3, $4, $5::jsonb, $6, $7, $8, $9, $10, $11)
       returning ${SCHEDULE_COLUMNS}`,
      [
        schedule.name,
        cron,
        timezone,
        schedule.task_name,
        // Stringified by us: node-postgres would turn a JS array into a PostgreSQL array literal.
        schedule.payload === undefined ? null : JSON.stringify(schedule.payload),
        schedule.priority ?? 0,
        schedule.max_retries ?? null,
        schedule.timeout_ms ?? null,
        schedule.missed_ticks ?? 'run_once',
        schedule.paused ?? false,
        nextRunAt,
      ],
    );
    return rows[0]!;
  } catch (error) {
    throw asNameConflict(error, schedule.name);
  }
}

/** The unique violation on the name becomes our own error; anything else passes through. */
export function asNameConflict(error: unknown, name: string): unknown {
  const pgError = error as { code?: string; constraint?: string } | null;
  if (pgError?.code === '23505' && pgError.constraint === 'task_schedules_name_key') {
    return new ScheduleNameConflictError(name);
  }
  return error;
}
