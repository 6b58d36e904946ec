import { TASK_STATES, type TaskState } from '@taskforge/model';
import type { Queryable } from '../db/queryable.js';

/**
 * Tasks per state (failed_awaiting_retry: failed tasks that will be tried again;
 * failed_permanently: failed tasks with no retries left), plus `failed`, both kinds together,
 * and `total`.
 */
export type TaskStats = Record<TaskState, number> & { failed: number; total: number };

const COUNT_PER_STATE = TASK_STATES.map(
  (state) => `count(*) filter (where taskforge_task_state(status, next_retry_at) = '${state}') as ${state}`,
);

/** Counts per status, zeros included, in one scan. */
export async function getTaskStats(db: Queryable): Promise<TaskStats> {
  const { rows } = await db.query<Record<keyof TaskStats, string>>(
    `select ${COUNT_PER_STATE.join(',\n            ')},
            count(*) filter (where status = 'failed') as failed,
            count(*) as total
       from tasks`,
  );
  const row = rows[0]!;
  // count(*) is bigint, which node-postgres returns as a string.
  return Object.fromEntries(Object.entries(row).map(([key, value]) => [key, Number(value)])) as unknown as TaskStats;
}
