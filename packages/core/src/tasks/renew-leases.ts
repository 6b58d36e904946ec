import type { Queryable } from '../db/queryable.js';
import { heldByWorker } from './attempt-fence.js';
import type { TaskAttempt } from './complete-tasks.js';

/**
 * The heartbeat: extends the leases of all of a worker's running tasks in one statement.
 * Fenced (attempt-fence.ts): a task missing from the result is no longer this
 * worker's (its lease lapsed and it was rescued, or it was cancelled), and the worker must
 * stop running it.
 */
export async function renewLeases(
  db: Queryable,
  params: { workerId: string; leaseMs: number; tasks: readonly TaskAttempt[] },
): Promise<string[]> {
  if (params.tasks.length === 0) return [];
  const { rows } = await db.query<{ id: string }>({
    // Unnamed on purpose, like every fenced statement (see attempt-fence.ts).
    text: `update tasks t
        set lease_expires_at = now() + $4 * interval '1 millisecond'
       from unnest($2::uuid[], $3::int[]) as held(id, attempt)
      where ${heldByWorker('t', 'held', '$1')}
     returning t.id`,
    values: [params.workerId, params.tasks.map((t) => t.id), params.tasks.map((t) => t.attempt), params.leaseMs],
  });
  return rows.map((row) => row.id);
}
