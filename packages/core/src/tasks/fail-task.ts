import type { Queryable } from '../db/queryable.js';
import type { TaskAttempt } from './complete-tasks.js';

export interface FailTaskParams extends TaskAttempt {
  workerId: string;
  error: string;
  /** Delay before the retry, used only when retries remain. */
  retryDelayMs: number;
  /** False fails the task for good even if retries remain (see PermanentTaskError). */
  retryable?: boolean;
}

/** Longest error text kept per task; a handler's error could be a whole response body. */
export const MAX_ERROR_LENGTH = 10_000;

/** PostgreSQL text cannot hold U+0000; an error message must never make the failure unrecordable. */
function storableErrorText(message: string): string {
  return message.replaceAll('\u0000', '\\u0000').slice(0, MAX_ERROR_LENGTH);
}

export interface FailedTask {
  id: string;
  attempts: number;
  max_retries: number;
  /** Null when the task failed for good. */
  next_retry_at: Date | null;
}

/**
 * Records a failed attempt. While retries remain (attempts <= max_retries, so a task runs
 * at most 1 + max_retries times) the task becomes due again at now() + retryDelayMs;
 * otherwise, or when not `retryable`, it stays failed for good. Fenced like completeTasks; returns null when the
 * fence did not match (the worker no longer owns that attempt).
 */
export async function failTask(db: Queryable, params: FailTaskParams): Promise<FailedTask | null> {
  const { rows } = await db.query<FailedTask>(
    `update tasks t
        set status = 'failed',
            last_error = $4,
            next_retry_at = case when $6::boolean and t.attempts <= t.max_retries
                                 then now() + $5 * interval '1 millisecond' end,
            scheduled_at = case when $6::boolean and t.attempts <= t.max_retries
                                then now() + $5 * interval '1 millisecond' else t.scheduled_at end,
            finished_at = case when $6::boolean and t.attempts <= t.max_retries then null else now() end,
            locked_by = null,
            locked_at = null,
            lease_expires_at = null,
            updated_at = now()
      where t.id = $1
        and t.attempts = $3
        and t.status = 'running'
        and t.locked_by = $2
     returning t.id, t.attempts, t.max_retries, t.next_retry_at`,
    [params.id, params.workerId, params.attempt, storableErrorText(params.error), params.retryDelayMs, params.retryable ?? true],
  );
  return rows[0] ?? null;
}
