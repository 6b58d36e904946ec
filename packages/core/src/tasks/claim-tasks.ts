import type { Queryable } from '../db/queryable.js';
import { TASK_COLUMNS, type Task } from './task.js';

/** The task columns qualified with `t.`: the CTE also has an `id`, which would be ambiguous. */
const CLAIMED_COLUMNS = TASK_COLUMNS.replace(/(\w+)/g, 't.$1');

export interface ClaimTasksParams {
  workerId: string;
  /** Only tasks with these names are claimed: a worker never takes a task it has no handler for. */
  taskNames: readonly string[];
  limit: number;
  /** How long the claim holds without a heartbeat; DEFAULT_LEASE_MS when omitted. */
  leaseMs?: number;
}

export const DEFAULT_LEASE_MS = 30_000;

/**
 * Claims up to `limit` due tasks in one statement. The CTE's WHERE and ORDER BY are exactly
 * the predicate and key order of `tasks_claim_idx`, so PostgreSQL walks the index from the
 * front; SKIP LOCKED lets concurrent workers take different rows instead of queueing on the
 * same ones. Each claim counts as an attempt.
 */
export async function claimTasks(db: Queryable, params: ClaimTasksParams): Promise<Task[]> {
  if (params.limit <= 0 || params.taskNames.length === 0) return [];
  const { rows } = await db.query<Task>({
    // Named, so each connection parses and plans it once (prepared statement).
    name: 'taskforge_claim_tasks',
    text: `with due as (
       select id
         from tasks
        where (status = 'pending' or (status = 'failed' and next_retry_at is not null))
          and scheduled_at <= now()
          and task_name = any($2::text[])
        order by priority desc, scheduled_at
        limit $3
          for update skip locked
     )
     update tasks t
        set status = 'running',
            attempts = t.attempts + 1,
            locked_by = $1,
            locked_at = now(),
            lease_expires_at = now() + $4 * interval '1 millisecond',
            started_at = now(),
            next_retry_at = null,
            updated_at = now()
       from due
      where t.id = due.id
     returning ${CLAIMED_COLUMNS}`,
    values: [params.workerId, params.taskNames, params.limit, params.leaseMs ?? DEFAULT_LEASE_MS],
  });
  // UPDATE ... RETURNING does not keep the CTE's order; restore it so tasks start in priority order.
  return rows.sort(
    (a, b) => b.priority - a.priority || a.scheduled_at.getTime() - b.scheduled_at.getTime(),
  );
}
