import type { TaskStatus } from '@taskforge/model';

/**
 * Where a task's max_retries came from. `explicit`: its submitter gave it. `default`: it did not,
 * and max_retries is the submitter's DEFAULT_MAX_RETRIES, standing in until a worker starts the
 * task's first attempt; if that worker's handler sets maxRetries, it replaces it then
 * (`handler`). Either way the limit is fixed from the first attempt on. Only while a `default`
 * task has not started (attempts 0) can its max_retries still change.
 */
export const MAX_RETRIES_SOURCES = ['explicit', 'default', 'handler'] as const;
export type MaxRetriesSource = (typeof MAX_RETRIES_SOURCES)[number];

/** A task as stored and as the API returns it (snake_case, like the columns). */
export interface Task {
  id: string;
  task_name: string;
  payload: unknown;
  status: TaskStatus;
  priority: number;
  scheduled_at: Date;
  attempts: number;
  /** Retries allowed after the first attempt: the limit in force (see max_retries_source). */
  max_retries: number;
  /** Where max_retries came from; see MaxRetriesSource. */
  max_retries_source: MaxRetriesSource;
  last_error: string | null;
  next_retry_at: Date | null;
  locked_by: string | null;
  locked_at: Date | null;
  /** While running: when the worker's claim lapses unless renewed by a heartbeat. */
  lease_expires_at: Date | null;
  /** Longest an attempt may run, in milliseconds; null for no limit. */
  timeout_ms: number | null;
  /** The handler's return value once completed. */
  result: unknown;
  created_at: Date;
  updated_at: Date;
  started_at: Date | null;
  finished_at: Date | null;
  /** Client-chosen deduplication key (see addTask), if any. */
  idempotency_key: string | null;
  /** The recurring schedule that made this task, and the tick it was made for. */
  schedule_id: string | null;
  schedule_tick: Date | null;
  /** The last 20 attempts, oldest first. */
  attempt_history: AttemptRecord[];
}

/** One attempt as kept in a task's attempt_history (JSON, so timestamps are ISO strings). */
export interface AttemptRecord {
  attempt: number;
  worker_id: string | null;
  started_at: string | null;
  finished_at: string;
  /** How the attempt ended. */
  outcome: 'completed' | 'failed' | 'lease_expired' | 'released' | 'cancelled';
  error: { message: string; stack: string | null } | null;
}

/** How many attempts attempt_history keeps. */
export const ATTEMPT_HISTORY_LIMIT = 20;

/** The column list every statement returning a whole task uses, so they all return the same shape. */
export const TASK_COLUMNS = `id, task_name, payload, status, priority, scheduled_at, attempts, max_retries,
  max_retries_source, last_error, next_retry_at, locked_by, locked_at, lease_expires_at, timeout_ms, result,
  created_at, updated_at, started_at, finished_at, idempotency_key, schedule_id, schedule_tick,
  attempt_history`;
