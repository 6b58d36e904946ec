import type { Queryable } from '../db/queryable.js';

/**
 * The LISTEN/NOTIFY channel on which "schedules changed" hints travel: a worker's schedule
 * firer re-reads the earliest tick at once instead of at its next SCHEDULER_INTERVAL_MS look.
 */
export const SCHEDULES_CHANNEL = 'taskforge_schedules';

/**
 * Tells schedule firers that a schedule was created or changed. A hint only: a firer that
 * misses it finds the new tick within SCHEDULER_INTERVAL_MS. Inside a transaction, PostgreSQL
 * delivers it at commit.
 */
export async function announceScheduleChange(db: Queryable): Promise<void> {
  await db.query('select pg_notify($1, $2)', [SCHEDULES_CHANNEL, '']);
}

/**
 * Milliseconds from the database's now until the earliest tick of an active schedule (zero or
 * negative when one is due), or null when no schedule will fire. Relative, so a host whose
 * clock is off still wakes at the right moment. Served by task_schedules_due_idx.
 */
export async function msUntilNextScheduleTick(db: Queryable): Promise<number | null> {
  const { rows } = await db.query<{ ms: number | null }>(
    `select (extract(epoch from (min(next_run_at) - now())) * 1000)::float8 as ms
       from task_schedules
      where not paused and next_run_at is not null`,
  );
  return rows[0]?.ms ?? null;
}
