import type { AttemptRecord, Task, TaskStatus } from '@taskforge/core';

/** A task as the API returns it: snake_case like the seed, timestamps as ISO 8601 strings. */
export interface TaskResponse {
  id: string;
  task_name: string;
  payload: unknown;
  status: TaskStatus;
  priority: number;
  scheduled_at: string;
  attempts: number;
  max_retries: number;
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

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function toTaskResponse(task: Task): TaskResponse {
  return {
    id: task.id,
    task_name: task.task_name,
    payload: task.payload,
    status: task.status,
    priority: task.priority,
    scheduled_at: task.scheduled_at.toISOString(),
    attempts: task.attempts,
    max_retries: task.max_retries,
    last_error: task.last_error,
    next_retry_at: iso(task.next_retry_at),
    locked_by: task.locked_by,
    locked_at: iso(task.locked_at),
    lease_expires_at: iso(task.lease_expires_at),
    timeout_ms: task.timeout_ms,
    result: task.result,
    created_at: task.created_at.toISOString(),
    updated_at: task.updated_at.toISOString(),
    started_at: iso(task.started_at),
    finished_at: iso(task.finished_at),
    idempotency_key: task.idempotency_key,
    schedule_id: task.schedule_id,
    schedule_tick: iso(task.schedule_tick),
    attempt_history: task.attempt_history,
  };
}
