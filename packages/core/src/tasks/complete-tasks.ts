import type { Queryable } from '../db/queryable.js';
import { heldByWorker } from './attempt-fence.js';
import { appendAttemptRecord } from './attempt-history.js';

/** Identifies one attempt of one task: what the fence (attempt-fence.ts) checks, with the worker. */
export interface TaskAttempt {
  id: string;
  attempt: number;
}

export interface CompletedAttempt extends TaskAttempt {
  /** The handler's return value as JSON text, or null. Serialised (and size-checked) by the caller. */
  resultJson?: string | null;
}

const COMPLETION_RECORD = appendAttemptRecord('completed');
const FENCE = heldByWorker('t', 'held', '$1');

/**
 * Marks tasks completed in one statement, fenced (attempt-fence.ts). Each completed attempt
 * joins the task's attempt_history. Returns the ids that really completed.
 */
export async function completeTasks(db: Queryable, params: { workerId: string; tasks: readonly CompletedAttempt[] }): Promise<string[]> {
  if (params.tasks.length === 0) return [];
  const { rows } = await db.query<{ id: string }>({
    // Unnamed on purpose, like every fenced statement (see attempt-fence.ts).
    text: `update tasks t
        set status = 'completed',
            result = held.result,
            locked_by = null,
            locked_at = null,
            lease_expires_at = null,
            last_error = null,
            attempt_history = ${COMPLETION_RECORD},
            finished_at = now(),
            updated_at = now()
       from unnest($2::uuid[], $3::int[], $4::jsonb[]) as held(id, attempt, result)
      where ${FENCE}
     returning t.id`,
    values: [
      params.workerId,
      params.tasks.map((t) => t.id),
      params.tasks.map((t) => t.attempt),
      params.tasks.map((t) => t.resultJson ?? null),
    ],
  });
  return rows.map((row) => row.id);
}
