import type { Queryable } from '@taskforge/core';

export interface ExactlyOnce {
  /** Tasks that did not end `completed` (or are not there at all). */
  missing: number;
  /** Tasks run more than once: attempts > 1, or more than one task_executions row. */
  duplicates: number;
}

/**
 * After a drain: every task created since `since` (database time) completed, each claimed
 * once. Finished history rows (workload E) are older than `since` and not counted.
 */
export async function checkDrain(db: Queryable, since: string, expected: number): Promise<ExactlyOnce> {
  const { rows } = await db.query<{ completed: number; duplicates: number }>(
    `select count(*) filter (where status = 'completed')::int as completed,
            count(*) filter (where attempts > 1)::int as duplicates
       from tasks
      where created_at >= $1::timestamptz`,
    [since],
  );
  return { missing: expected - rows[0]!.completed, duplicates: rows[0]!.duplicates };
}

/** After a latency run with the `record` task type: every task completed, each executed once. */
export async function checkExecutions(db: Queryable, ids: readonly string[]): Promise<ExactlyOnce> {
  const { rows } = await db.query<{ completed: number; duplicates: number }>(
    `select (select count(*)::int from tasks where id = any($1::uuid[]) and status = 'completed') as completed,
            (select count(*)::int from (
               select task_id from task_executions where task_id = any($1::uuid[])
                group by task_id having count(*) > 1) as twice) as duplicates`,
    [ids],
  );
  return { missing: ids.length - rows[0]!.completed, duplicates: rows[0]!.duplicates };
}

/**
 * After an enqueue workload: every acknowledged id is stored (missing), and nothing was
 * stored beyond what was acknowledged (duplicates: rows without an acknowledgement).
 */
export async function checkStored(db: Queryable, ids: readonly string[]): Promise<ExactlyOnce> {
  const distinct = [...new Set(ids)];
  const { rows } = await db.query<{ found: number; total: number }>(
    `select (select count(*)::int from tasks where id = any($1::uuid[])) as found,
            (select count(*)::int from tasks) as total`,
    [distinct],
  );
  const { found, total } = rows[0]!;
  return { missing: distinct.length - found, duplicates: Math.max(0, total - found) + (ids.length - distinct.length) };
}
