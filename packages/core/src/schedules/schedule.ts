/** What a schedule does with ticks that fell due while no worker was running (see fireDueSchedules). */
export const MISSED_TICKS_POLICIES = ['run_once', 'skip'] as const;
export type MissedTicksPolicy = (typeof MISSED_TICKS_POLICIES)[number];

/** A recurring schedule as stored (snake_case, like the columns). */
export interface Schedule {
  id: string;
  /** Unique among schedules. */
  name: string;
  /** 5 fields, or 6 with seconds first. */
  cron: string;
  /** IANA time zone the expression is read in. */
  timezone: string;
  task_name: string;
  payload: unknown;
  priority: number;
  /** Null: the handler's maxRetries when the task first runs, if it sets one; else the firing worker's DEFAULT_MAX_RETRIES. */
  max_retries: number | null;
  /** Null: the running worker's TASK_DEFAULT_TIMEOUT_MS. */
  timeout_ms: number | null;
  missed_ticks: MissedTicksPolicy;
  paused: boolean;
  /** The next tick to fire; null only when the expression has no future tick. */
  next_run_at: Date | null;
  /** The tick of the last task this schedule made. */
  last_run_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

/** The column list every statement returning a whole schedule uses. */
export const SCHEDULE_COLUMNS = `id, name, cron, timezone, task_name, payload, priority, max_retries, timeout_ms,
  missed_ticks, paused, next_run_at, last_run_at, created_at, updated_at`;
