import type { Pool } from '../../../packages/core/src/index.js';

/**
 * Durations for the cut-worker scenario, against WORKER_HOST_ENV's 4 s lease renewed every
 * second: the last heartbeat that got through was sent at most ~1 s before the cut, so the
 * worker's own watchdog gives a task up 3–5 s after it (deadline plus one 1 s tick).
 * A short task running at the cut finishes well inside that, so its completion is sent into
 * the cut link; a long one that just started outlives it, so the worker abandons it.
 */
export const SHORT_MS = 1_500;
export const LONG_MS = 9_000;
/** A long task with this much left at the cut outlives the watchdog's latest give-up (5 s) with room to spare. */
const LONG_TASK_LEFT_MS = 6_500;
/** A short task with this much left is still running when the cut follows the check. */
const SHORT_TASK_LEFT_MS = 300;

export interface HeldTask {
  id: string;
  ms: number;
}

/** Tasks `workerId` holds (claimed, lease not yet rescued) among `ids`. */
export async function heldBy(pool: Pool, workerId: string, ids: readonly string[]): Promise<HeldTask[]> {
  const { rows } = await pool.query<HeldTask>(
    `select id, (payload->>'ms')::int as ms from tasks
      where status = 'running' and locked_by = $1 and id = any($2::uuid[])`,
    [workerId, ids],
  );
  return rows;
}

/**
 * The moment to cut: `workerId` runs a long task that will outlive its lease and at least two
 * short ones that will finish while it is cut off. Returns those tasks, or undefined if not yet.
 */
export async function tasksToWatchAtCut(
  pool: Pool,
  workerId: string,
  ids: readonly string[],
): Promise<{ long: HeldTask[]; short: HeldTask[] } | undefined> {
  const { rows } = await pool.query<HeldTask & { left_ms: number }>(
    `select t.id, (t.payload->>'ms')::int as ms,
            (t.payload->>'ms')::int - extract(epoch from clock_timestamp() - e.started_at) * 1000 as left_ms
       from tasks t
       join task_executions e on e.task_id = t.id and e.attempt = t.attempts and e.worker_id = t.locked_by
      where t.status = 'running' and t.locked_by = $1 and t.id = any($2::uuid[])`,
    [workerId, ids],
  );
  const long = rows.filter((task) => task.ms === LONG_MS && task.left_ms >= LONG_TASK_LEFT_MS);
  const short = rows.filter((task) => task.ms === SHORT_MS && task.left_ms >= SHORT_TASK_LEFT_MS);
  return long.length >= 1 && short.length >= 2 ? { long, short } : undefined;
}

/**
 * One long task and five short ones: a worker with six free slots claims the lot, and a cut
 * that follows leaves it with a long task that outlives its lease and short ones that finish.
 */
export function roundOfTasks(): Array<{ task_name: string; payload: { ms: number } }> {
  return [LONG_MS, SHORT_MS, SHORT_MS, SHORT_MS, SHORT_MS, SHORT_MS].map((ms) => ({ task_name: 'record', payload: { ms } }));
}

/** Whether every one of `ids` was taken over by another worker than `workerId` (or completed). */
export async function allTakenOverFrom(pool: Pool, workerId: string, ids: readonly string[]): Promise<boolean> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from tasks
      where id = any($2::uuid[])
        and (status = 'completed' or (status = 'running' and locked_by <> $1))`,
    [workerId, ids],
  );
  return rows[0]!.n === ids.length;
}

/** Whether `workerId` has completed one of `ids` that it claimed after `since`. */
export async function completedAfter(pool: Pool, workerId: string, ids: readonly string[], since: Date): Promise<Date | undefined> {
  const { rows } = await pool.query<{ finished_at: Date | null }>(
    `select min((h->>'finished_at')::timestamptz) as finished_at
       from tasks t, jsonb_array_elements(t.attempt_history) h
      where t.id = any($1::uuid[]) and h->>'outcome' = 'completed'
        and h->>'worker_id' = $2 and (h->>'started_at')::timestamptz > $3`,
    [ids, workerId, since],
  );
  return rows[0]?.finished_at ?? undefined;
}

export async function pendingCount(pool: Pool, ids: readonly string[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from tasks where id = any($1::uuid[]) and status in ('pending', 'failed') and finished_at is null`,
    [ids],
  );
  return rows[0]!.n;
}
