import type { Queryable } from '../db/queryable.js';
import { appendAttemptRecord } from './attempt-history.js';

/** What a rescued task's last_error and attempt record say; `expired.locked_by` names the worker. */
const LEASE_EXPIRED_MESSAGE = `'lease expired: worker ' || expired.locked_by || ' stopped heartbeating'`;

export interface RescuedTask {
  id: string;
  task_name: string;
  /** The worker that stopped heartbeating. */
  lost_by: string;
  attempts: number;
  /** Null when that was the last attempt allowed: the task is now failed for good. */
  next_retry_at: Date | null;
}

/**
 * Returns running tasks whose lease expired to the queue. The lapsed run counts as a failed
 * attempt: with retries left the task is due again at once, else it is failed for good.
 * The attempt joins attempt_history as `lease_expired`. Any worker may run this. SKIP LOCKED
 * plus the re-check under the row lock that the same worker still holds it (a lock holder is a
 * running task: tasks_lock_matches_status) mean a rescue never overwrites a task its worker
 * completed or failed meanwhile. The re-check is not `status = 'running'`, which would let a
 * planner told that few tasks run walk all of them in tasks_lease_idx to find the rescued ids
 * (attempt-fence.ts).
 */
export async function rescueExpiredTasks(db: Queryable, params: { limit?: number } = {}): Promise<RescuedTask[]> {
  const { rows } = await db.query<RescuedTask>(
    `with expired as (
       select id, locked_by
         from tasks
        where status = 'running'
          and lease_expires_at < now()
        order by lease_expires_at
        limit $1
          for update skip locked
     )
     update tasks t
        set status = 'failed',
            last_error = ${LEASE_EXPIRED_MESSAGE},
            attempt_history = ${appendAttemptRecord('lease_expired', { message: LEASE_EXPIRED_MESSAGE, stack: 'null::text' })},
            next_retry_at = case when t.attempts <= t.max_retries then now() end,
            scheduled_at = case when t.attempts <= t.max_retries then now() else t.scheduled_at end,
            finished_at = case when t.attempts <= t.max_retries then null else now() end,
            locked_by = null,
            locked_at = null,
            lease_expires_at = null,
            updated_at = now()
       from expired
      where t.id = expired.id
        and t.locked_by = expired.locked_by
     returning t.id, t.task_name, expired.locked_by as lost_by, t.attempts, t.next_retry_at`,
    [params.limit ?? 1_000],
  );
  return rows;
}
