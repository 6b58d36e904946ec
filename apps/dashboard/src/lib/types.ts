/**
 * The API's answers as the dashboard reads them: the same fields the OpenAPI spec at
 * /docs-json describes (the *-response.ts files in apps/api/src). Only what the pages use.
 */
export const TASK_STATUSES = ['pending', 'running', 'completed', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export interface AttemptRecord {
  attempt: number;
  worker_id: string | null;
  started_at: string | null;
  finished_at: string;
  outcome: 'completed' | 'failed' | 'lease_expired' | 'released' | 'cancelled';
  error: { message: string; stack: string | null } | null;
}

export interface Task {
  id: string;
  task_name: string;
  payload: unknown;
  status: TaskStatus;
  priority: number;
  scheduled_at: string;
  attempts: number;
  max_retries: number;
  /** explicit: given at submission; default: DEFAULT_MAX_RETRIES (until the task starts, its handler may replace it); handler: the handler's maxRetries. Absent from an older API. */
  max_retries_source?: 'explicit' | 'default' | 'handler';
  last_error: string | null;
  next_retry_at: string | null;
  locked_by: string | null;
  locked_at: string | null;
  lease_expires_at: string | null;
  timeout_ms: number | null;
  result: unknown;
  created_at: string;
  updated_at: string;
  started_at: string | null;
  finished_at: string | null;
  idempotency_key: string | null;
  schedule_id: string | null;
  schedule_tick: string | null;
  attempt_history: AttemptRecord[];
}

export interface TaskList {
  tasks: Task[];
  next_cursor: string | null;
}

export interface StatusCounts {
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  failed_awaiting_retry: number;
  failed_permanently: number;
  total: number;
}

export interface QueueStats extends StatusCounts {
  counts: 'exact' | 'estimated';
  by_task_name: Record<string, StatusCounts>;
  queue_lag_ms: number;
  running_by_worker: Record<string, number>;
  throughput: { last_minute: { completed: number; failed: number }; last_hour: { completed: number; failed: number } };
  table: {
    n_live_tup: number;
    n_dead_tup: number;
    last_vacuum: string | null;
    last_autovacuum: string | null;
    last_analyze: string | null;
    last_autoanalyze: string | null;
    total_bytes: number;
    autovacuum_enabled: boolean;
  };
  vacuum_horizon: {
    oldest_transaction: { age_seconds: number; pid: number; state: string | null; application_name: string | null } | null;
    prepared_transactions: number;
    replication_slots_holding_xmin: number;
  };
}

export interface LiveWorker {
  id: string;
  host: string;
  pid: number;
  started_at: string;
  last_seen_at: string;
  concurrency: number;
  task_names: string[];
  running: number;
  held_tasks: number;
  /** Up to 20 of the held tasks, the latest started first. */
  running_tasks: HeldTask[];
}

export interface HeldTask {
  id: string;
  task_name: string;
  started_at: string | null;
  attempts: number;
}

/** GET /monitor/throughput: one entry per minute, oldest first. */
export interface ThroughputMinute {
  /** Start of the one-minute window; the last one ends at the time of the request. */
  minute: string;
  completed: number;
  /** Failed for good. */
  failed: number;
}

export interface Schedule {
  id: string;
  name: string;
  cron: string;
  timezone: string;
  task_name: string;
  payload: unknown;
  priority: number;
  max_retries: number | null;
  timeout_ms: number | null;
  missed_ticks: string;
  paused: boolean;
  next_run_at: string | null;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}
