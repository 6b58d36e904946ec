import type { Queryable } from '../db/queryable.js';

/** Identifies one attempt of one task: the fence every worker-side transition checks. */
export interface TaskAttempt {
  id: string;
  attempt: number;
}

/**
 * Marks tasks completed in one statement. Fenced: a row changes only if it is still
 * running, still locked by this worker, and on the same attempt, so a worker that lost a
 * task cannot complete someone else's run. Returns the ids that really completed.
 */
export async function completeTasks(
  db: Queryable,
  params: { workerId: string; tasks: readonly TaskAttempt[] },
): Promise<string[]> {
  if (params.tasks.length === 0) return [];
  const { rows } = await db.query<{ id: string }>(
    `update tasks t
        set status = 'completed',
            locked_by = null,
            locked_at = null,
            last_error = null,
            finished_at = now(),
            updated_at = now()
       from unnest($2::uuid[], $3::int[]) as done(id, attempt)
      where t.id = done.id
        and t.attempts = done.attempt
        and t.status = 'running'
        and t.locked_by = $1
     returning t.id`,
    [params.workerId, params.tasks.map((t) => t.id), params.tasks.map((t) => t.attempt)],
  );
  return rows.map((row) => row.id);
}
