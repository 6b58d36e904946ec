export const TASK_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** A task as stored and as the API returns it (snake_case, like the columns). */
export interface Task {
  id: string;
  task_name: string;
  payload: unknown;
  status: TaskStatus;
  priority: number;
  scheduled_at: Date;
  attempts: number;
  max_retries: number;
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
}

/** The column list every statement returning a whole task uses, so they all return the same shape. */
export const TASK_COLUMNS = `id, task_name, payload, status, priority, scheduled_at, attempts, max_retries,
  last_error, next_retry_at, locked_by, locked_at, lease_expires_at, timeout_ms, result,
  created_at, updated_at, started_at, finished_at`;
