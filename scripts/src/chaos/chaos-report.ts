import { isFinal, taskState, type Queryable, type TaskStatus } from '@taskforge/core';
import { executionsByTask } from '../fixtures/executions-table.js';

export interface ChaosReport {
  submitted: number;
  rejected: number;
  completed: number;
  failedPermanently: number;
  stillPending: number;
  lost: number;
  duplicateExecutions: number;
  rerunsAfterKill: number;
  longestExpiredLeaseMs: number;
}

/** Tasks not yet in a final state: pending, running, or failed with a retry to come. */
export async function unfinishedCount(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `select count(*)::int as n from tasks where not taskforge_task_is_final(status, next_retry_at)`,
  );
  return rows[0]!.n;
}

/** How long the stalest expired lease has been expired right now (0 when none). */
export async function expiredLeaseAgeMs(db: Queryable): Promise<number> {
  const { rows } = await db.query<{ ms: number }>(
    `select coalesce(max(extract(epoch from clock_timestamp() - lease_expires_at)) * 1000, 0)::float8 as ms
       from tasks where status = 'running' and lease_expires_at < clock_timestamp()`,
  );
  return rows[0]!.ms;
}

/**
 * Compares what was accepted with what the database holds and what really ran. A run after
 * an earlier run of the same task is justified only when the earlier one's worker was
 * killed (SIGKILL or SIGTERM) or the task fails on purpose; any other is a duplicate.
 */
export async function buildReport(
  db: Queryable,
  accepted: ReadonlySet<string>,
  rejected: number,
  killedWorkers: ReadonlySet<string>,
  longestExpiredLeaseMs: number,
): Promise<ChaosReport> {
  const { rows: tasks } = await db.query<{ id: string; status: TaskStatus; next_retry_at: Date | null; fails: boolean }>(
    `select id, status, next_retry_at, coalesce((payload->>'fail')::boolean, false) or task_name = 'fail' as fails from tasks`,
  );
  const byId = new Map(tasks.map((task) => [task.id, task]));
  let lost = 0;
  for (const id of accepted) if (!byId.has(id)) lost += 1;
  let duplicateExecutions = 0;
  let rerunsAfterKill = 0;
  for (const execution of await executionsByTask(db)) {
    if (byId.get(execution.task_id)?.fails) continue;
    for (let i = 0; i + 1 < execution.runs; i += 1) {
      if (killedWorkers.has(execution.workers[i]!)) rerunsAfterKill += 1;
      else duplicateExecutions += 1;
    }
  }
  const count = (predicate: (task: (typeof tasks)[number]) => boolean) =>
    tasks.filter((task) => accepted.has(task.id) && predicate(task)).length;
  return {
    submitted: accepted.size,
    rejected,
    completed: count((task) => task.status === 'completed'),
    failedPermanently: count((task) => taskState(task) === 'failed_permanently'),
    stillPending: count((task) => !isFinal(task)),
    lost,
    duplicateExecutions,
    rerunsAfterKill,
    longestExpiredLeaseMs: Math.round(longestExpiredLeaseMs),
  };
}
