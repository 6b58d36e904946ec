import type { Queryable } from '../db/queryable.js';

/**
 * The finished tasks retention deletes, each with its own retention period:
 * - `completed`: completed and cancelled tasks (TASK_RETENTION_COMPLETED);
 * - `failed`: tasks failed for good (TASK_RETENTION_FAILED). A failed task awaiting its retry is
 *   not final and never matches.
 */
export type RetentionKind = 'completed' | 'failed';

const KIND_PREDICATES: Record<RetentionKind, string> = {
  completed: `status in ('completed', 'cancelled')`,
  failed: `taskforge_task_state(status, next_retry_at) = 'failed_permanently'`,
};

/**
 * One batch: the oldest expired tasks of one kind, in finished_at order, read off
 * tasks_finished_idx (a range scan from `$3`, the previous batch's newest, so tasks of the
 * other kind kept in the same range are stepped over once per sweep, not once per batch).
 * SKIP LOCKED leaves rows another transaction holds (a retry being requested, say) for the next
 * sweep; the locked rows' predicates are re-checked, so a task retried meanwhile is spared.
 * Pending, running and retrying tasks have no finished_at and are never even looked at.
 */
function batchStatement(kind: RetentionKind): string {
  return `
    with doomed as (
      select id
        from tasks
       where finished_at is not null
         and finished_at >= coalesce($3::timestamptz, '-infinity')
         and finished_at < now() - $1::float8 * interval '1 millisecond'
         and ${KIND_PREDICATES[kind]}
       order by finished_at
       limit $2
         for update skip locked
    ),
    deleted as (
      delete from tasks t using doomed where t.id = doomed.id returning t.finished_at
    )
    select count(*)::int as deleted,
           -- Truncated to what a JS Date holds, so passing it back as $3 never skips a row.
           date_trunc('milliseconds', max(finished_at)) as last_finished_at
      from deleted`;
}

const STATEMENTS: Record<RetentionKind, string> = {
  completed: batchStatement('completed'),
  failed: batchStatement('failed'),
};

export interface DeleteExpiredTasksParams {
  kind: RetentionKind;
  /** Tasks that finished longer ago than this are deleted. */
  retentionMs: number;
  /** Most tasks deleted by this one statement. */
  limit: number;
  /** Only tasks that finished at or after this: the previous batch's `lastFinishedAt`. */
  finishedFrom?: Date | null;
}

export interface DeletedBatch {
  deleted: number;
  /** The newest finished_at among the deleted tasks (to the millisecond); null when none were. */
  lastFinishedAt: Date | null;
}

/**
 * Deletes one batch of expired finished tasks of one kind, in one statement. A batch shorter
 * than `limit` means none are left (bar locked ones). Run it in a short transaction of its
 * own: RetentionSweeper does, holding the retention advisory lock.
 */
export async function deleteExpiredTasks(db: Queryable, params: DeleteExpiredTasksParams): Promise<DeletedBatch> {
  const { rows } = await db.query<{ deleted: number; last_finished_at: Date | null }>(STATEMENTS[params.kind], [
    Math.max(0, params.retentionMs),
    params.limit,
    params.finishedFrom ?? null,
  ]);
  return { deleted: rows[0]!.deleted, lastFinishedAt: rows[0]!.last_finished_at };
}
