import type { Queryable } from '../db/queryable.js';
import { heldByWorker } from './attempt-fence.js';
import { appendAttemptRecord } from './attempt-history.js';
import type { TaskAttempt } from './complete-tasks.js';

/**
 * Gives tasks back on graceful shutdown: pending and due at once, with the attempt returned
 * (it was cut short by us, not by the task), yet recorded in attempt_history as `released`.
 * Fenced (attempt-fence.ts). Returns the ids released.
 */
export async function releaseTasks(db: Queryable, params: { workerId: string; tasks: readonly TaskAttempt[] }): Promise<string[]> {
  if (params.tasks.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `update tasks t
        set status = 'pending',
            attempts = t.attempts - 1,
            scheduled_at = now(),
            next_retry_at = null,
            attempt_history = ${appendAttemptRecord('released')},
            locked_by = null,
            locked_at = null,
            lease_expires_at = null,
            updated_at = now()
       from unnest($2::uuid[], $3::int[]) as held(id, attempt)
      where ${heldByWorker('t', 'held', '$1')}
     returning t.id`,
    [params.workerId, params.tasks.map((t) => t.id), params.tasks.map((t) => t.attempt)],
  );
  return rows.map((row) => row.id);
}
