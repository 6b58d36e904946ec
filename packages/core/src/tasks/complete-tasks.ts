import type { Queryable } from '../db/queryable.js';
import { appendAttemptRecord } from './attempt-history.js';

/** Identifies one attempt of one task: the fence every worker-side transition checks. */
export interface TaskAttempt {
  id: string;
  attempt: number;
}

export interface CompletedAttempt extends TaskAttempt {
  /** The handler's return value as JSON text, or null. Serialised (and size-checked) by the caller. */
  resultJson?: string | null;
}

/**
 * Marks tasks completed in one statement. Fenced: a row changes only if it is still
 * running, still locked by this worker, and on the same attempt, so a worker that lost a
 * task cannot complete someone else's run. Each completed attempt joins the task's
 * attempt_history. Returns the ids that really completed.
 */
export async function completeTasks(db: Queryable, params: { workerId: string; tasks: readonly CompletedAttempt[] }): Promise<string[]> {
  if (params.tasks.length === 0) return [];
  const { rows } = await db.query<{ id: string }>({
    // Not a named (prepared) statement on purpose: a cached generic plan walks every running
    // task through tasks_lease_idx, dead entries included, instead of looking the batch up by
    // id (drain E, with history in the table: 10,900 → 20,800 tasks/s once planned per call).
    text: `update tasks t
        set status = 'completed',
            result = done.result,
            locked_by = null,
            locked_at = null,
            lease_expires_at = null,
            last_error = null,
            attempt_history = ${appendAttemptRecord('completed')},
            finished_at = now(),
            updated_at = now()
       from unnest($2::uuid[], $3::int[], $4::jsonb[]) as done(id, attempt, result)
      where t.id = done.id
        and t.attempts = done.attempt
        and t.status = 'running'
        and t.locked_by = $1
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
