import type { Queryable } from '../db/queryable.js';

export interface TaskStats {
  pending: number;
  running: number;
  completed: number;
  failed: number;
  cancelled: number;
  /** Failed tasks that will be tried again (part of `failed`). */
  failed_awaiting_retry: number;
  /** Failed tasks with no retries left (part of `failed`). */
  failed_permanently: number;
  total: number;
}

/** Counts per status, zeros included, in one scan. */
export async function getTaskStats(db: Queryable): Promise<TaskStats> {
  const { rows } = await db.query<Record<keyof TaskStats, string>>(
    `select count(*) filter (where status = 'pending')   as pending,
            count(*) filter (where status = 'running')   as running,
            count(*) filter (where status = 'completed') as completed,
            count(*) filter (where status = 'failed')    as failed,
            count(*) filter (where status = 'cancelled') as cancelled,
            count(*) filter (where taskforge_task_state(status, next_retry_at) = 'failed_awaiting_retry') as failed_awaiting_retry,
            count(*) filter (where taskforge_task_state(status, next_retry_at) = 'failed_permanently')    as failed_permanently,
            count(*) as total
       from tasks`,
  );
  const row = rows[0]!;
  // count(*) is bigint, which node-postgres returns as a string.
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as unknown as TaskStats;
}
