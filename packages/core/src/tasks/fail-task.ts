import type { Queryable } from '../db/queryable.js';
import { heldByWorker } from './attempt-fence.js';
import { appendAttemptRecord } from './attempt-history.js';
import type { TaskAttempt } from './complete-tasks.js';

export interface FailedAttempt extends TaskAttempt {
  error: string;
  /** The error's stack trace, kept in attempt_history (capped and cleaned like `error`). */
  stack?: string | null;
  /** Delay before the retry, used only when retries remain. */
  retryDelayMs: number;
  /** False fails the task for good even if retries remain (see PermanentTaskError). */
  retryable?: boolean;
}

export interface FailTaskParams extends FailedAttempt {
  workerId: string;
}

/** Longest error text (message, and stack) kept per attempt; a handler's error could be a whole response body. */
export const MAX_ERROR_LENGTH = 10_000;

/** PostgreSQL text cannot hold U+0000; an error message must never make the failure unrecordable. */
function storableErrorText(message: string): string {
  return message.replaceAll('\u0000', '\\u0000').slice(0, MAX_ERROR_LENGTH);
}

const FAILURE_RECORD = appendAttemptRecord('failed', { message: 'f.error', stack: 'f.stack' });
const FENCE = heldByWorker('t', 'f', '$1');

export interface FailedTask {
  id: string;
  attempts: number;
  max_retries: number;
  /** Null when the task failed for good. */
  next_retry_at: Date | null;
}

/**
 * Records failed attempts in one statement. While retries remain (attempts <= max_retries,
 * so a task runs at most 1 + max_retries times) a task becomes due again at now() +
 * its retryDelayMs; otherwise, or when not `retryable`, it stays failed for good. Each
 * attempt joins attempt_history with its error's message and stack. Fenced (attempt-fence.ts):
 * only the returned tasks were written (a missing one is no longer this worker's attempt).
 */
export async function failTasks(db: Queryable, params: { workerId: string; tasks: readonly FailedAttempt[] }): Promise<FailedTask[]> {
  if (params.tasks.length === 0) return [];
  const { rows } = await db.query<FailedTask>({
    // Unnamed on purpose, like every fenced statement (see attempt-fence.ts).
    text: `update tasks t
              set status = 'failed',
                  last_error = f.error,
                  attempt_history = ${FAILURE_RECORD},
                  next_retry_at = case when f.retryable and t.attempts <= t.max_retries
                                       then now() + f.delay_ms * interval '1 millisecond' end,
                  scheduled_at = case when f.retryable and t.attempts <= t.max_retries
                                      then now() + f.delay_ms * interval '1 millisecond' else t.scheduled_at end,
                  finished_at = case when f.retryable and t.attempts <= t.max_retries then null else now() end,
                  locked_by = null,
                  locked_at = null,
                  lease_expires_at = null,
                  updated_at = now()
             from unnest($2::uuid[], $3::int[], $4::text[], $5::float8[], $6::boolean[], $7::text[])
                  as f(id, attempt, error, delay_ms, retryable, stack)
            where ${FENCE}
           returning t.id, t.attempts, t.max_retries, t.next_retry_at`,
    values: [
      params.workerId,
      params.tasks.map((t) => t.id),
      params.tasks.map((t) => t.attempt),
      params.tasks.map((t) => storableErrorText(t.error)),
      params.tasks.map((t) => t.retryDelayMs),
      params.tasks.map((t) => t.retryable ?? true),
      params.tasks.map((t) => (t.stack ? storableErrorText(t.stack) : null)),
    ],
  });
  return rows;
}

/** failTasks for one attempt; null when the fence did not match. */
export async function failTask(db: Queryable, params: FailTaskParams): Promise<FailedTask | null> {
  const { workerId, ...attempt } = params;
  const [failed] = await failTasks(db, { workerId, tasks: [attempt] });
  return failed ?? null;
}
