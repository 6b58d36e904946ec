import type { Pool, PoolClient } from 'pg';
import { CronExpression } from './cron-expression.js';
import type { MissedTicksPolicy } from './schedule.js';

export interface FireDueSchedulesOptions {
  /**
   * max_retries of tasks made by schedules without their own; such tasks are marked `default`,
   * so the handler's maxRetries, where it sets one, replaces it when the task first runs.
   */
  defaultMaxRetries: number;
  /** Fire as if the database's clock read this (tests); the database's now() when omitted. */
  now?: Date;
  /**
   * How late the latest due tick may be and still count as on time (default 60 s). Later than
   * that, it was missed (every worker was down): `skip` makes no task for it.
   */
  missedTickGraceMs?: number;
  /** Most schedules handled in one call (default 100); the caller calls again while some are due. */
  limit?: number;
}

/** What firing one due schedule did. */
export interface FiredSchedule {
  schedule_id: string;
  /** The tick a task was made for; null when every due tick was skipped. */
  tick: Date | null;
  /** The task made for the tick; null when skipped, or when another firer had made it already. */
  task_id: string | null;
  /** Due ticks that got no task of their own (missed while no worker ran, or late past the grace); counted up to 1,000. */
  missed: number;
  /** The tick the schedule waits for now. */
  next_run_at: Date | null;
}

interface DueSchedule {
  id: string;
  cron: string;
  timezone: string;
  missed_ticks: MissedTicksPolicy;
  next_run_at: Date;
  now: Date;
}

export const DEFAULT_MISSED_TICK_GRACE_MS = 60_000;

/**
 * Fires every schedule whose next tick is due, one transaction per schedule:
 *
 * 1. lock the earliest due schedule (`FOR UPDATE SKIP LOCKED`: concurrent firers take
 *    different schedules, and one that is being fired is not seen as due by another);
 * 2. insert the task for the tick (`scheduled_at` = the tick, `schedule_id`, `schedule_tick`),
 *    `ON CONFLICT DO NOTHING` on the unique (schedule_id, schedule_tick) index;
 * 3. advance `next_run_at` to the first tick after now and set `last_run_at`; commit.
 *
 * The row lock makes firers take turns on a schedule, and the unique index makes a second task
 * for one tick impossible even if two firers computed the same tick: exactly one task per tick
 * however many workers fire at once.
 *
 * Missed ticks. The due ticks are those from `next_run_at` up to now. A due tick is *missed*
 * when a later tick is also due, or when it is more than `missedTickGraceMs` late: both mean no
 * worker fired it in time. With `run_once`, one task is made, for the latest due tick, whatever
 * was missed (caught up once). With `skip`, missed ticks make no task: only an on-time latest
 * tick gets one, so a schedule that was down waits for its next tick.
 */
export async function fireDueSchedules(pool: Pool, options: FireDueSchedulesOptions): Promise<FiredSchedule[]> {
  const fired: FiredSchedule[] = [];
  const limit = options.limit ?? 100;
  const client = await pool.connect();
  let broken = false;
  try {
    while (fired.length < limit) {
      const result = await fireOne(client, options);
      if (!result) break;
      fired.push(result);
    }
  } catch (error) {
    broken = true;
    throw error;
  } finally {
    // A client whose transaction failed half-way goes back destroyed, never dirty.
    client.release(broken);
  }
  return fired;
}

async function fireOne(client: PoolClient, options: FireDueSchedulesOptions): Promise<FiredSchedule | null> {
  await client.query('begin');
  try {
    const { rows } = await client.query<DueSchedule>(
      `select id, cron, timezone, missed_ticks, next_run_at, coalesce($1::timestamptz, now()) as now
         from task_schedules
        where not paused and next_run_at <= coalesce($1::timestamptz, now())
        order by next_run_at
        limit 1
        for update skip locked`,
      [options.now ?? null],
    );
    const schedule = rows[0];
    if (!schedule) {
      await client.query('commit');
      return null;
    }
    const outcome = await fireLocked(client, schedule, options);
    await client.query('commit');
    return outcome;
  } catch (error) {
    await client.query('rollback').catch(() => undefined);
    throw error;
  }
}

async function fireLocked(client: PoolClient, schedule: DueSchedule, options: FireDueSchedulesOptions): Promise<FiredSchedule> {
  let expression: CronExpression;
  try {
    expression = CronExpression.parse(schedule.cron, schedule.timezone);
  } catch {
    // Only a row written around the API can hold an expression we cannot read. Park it (no
    // next tick) rather than fail every look for due schedules; a PATCH of cron revives it.
    await client.query('update task_schedules set next_run_at = null where id = $1', [schedule.id]);
    return { schedule_id: schedule.id, tick: null, task_id: null, missed: 0, next_run_at: null };
  }
  const { now, next_run_at: firstDue } = schedule;
  const latestDue = laterOf(firstDue, expression.latestAtOrBefore(now));
  const latestOnTime = now.getTime() - latestDue.getTime() <= (options.missedTickGraceMs ?? DEFAULT_MISSED_TICK_GRACE_MS);
  const tick = schedule.missed_ticks === 'run_once' || latestOnTime ? latestDue : null;
  const nextRunAt = expression.nextAfter(now);
  const missed = countTicks(expression, firstDue, latestDue) - (tick ? 1 : 0);

  const { rows } = await client.query<{ task_id: string | null }>(
    `with made as (
       insert into tasks (task_name, payload, priority, scheduled_at, max_retries, max_retries_source, timeout_ms, schedule_id, schedule_tick)
       select task_name, payload, priority, $2::timestamptz, coalesce(max_retries, $3),
              case when max_retries is null then 'default' else 'explicit' end, timeout_ms, id, $2::timestamptz
         from task_schedules
        where id = $1 and $2::timestamptz is not null
       on conflict (schedule_id, schedule_tick) where schedule_id is not null do nothing
       returning id
     ), advanced as (
       update task_schedules
          set next_run_at = $4, last_run_at = coalesce($2::timestamptz, last_run_at)
        where id = $1
     )
     select (select id from made) as task_id`,
    [schedule.id, tick, options.defaultMaxRetries, nextRunAt],
  );
  return { schedule_id: schedule.id, tick, task_id: rows[0]?.task_id ?? null, missed, next_run_at: nextRunAt };
}

/** Most ticks counted for `missed`: an every-second schedule down for a day has 86,400. */
const MAX_COUNTED_TICKS = 1_000;

/** Ticks from `first` to `last`, both included, counting at most MAX_COUNTED_TICKS. */
function countTicks(expression: CronExpression, first: Date, last: Date): number {
  let count = 1;
  let tick = expression.nextAfter(first);
  while (tick && tick <= last && count < MAX_COUNTED_TICKS) {
    count += 1;
    tick = expression.nextAfter(tick);
  }
  return count;
}

function laterOf(a: Date, b: Date | null): Date {
  return b && b.getTime() > a.getTime() ? b : a;
}
