import type { Pool } from '../../../packages/core/src/index.js';
import type { AttemptRecord } from '../../../packages/core/src/tasks/task.js';

export interface TaskOutcomes {
  id: string;
  status: string;
  attempts: number;
  /** Every attempt's record, oldest first: how each one ended and on which worker. */
  history: AttemptRecord[];
}

/** The recorded outcomes of these tasks, in no particular order. */
export async function taskOutcomes(pool: Pool, ids: readonly string[]): Promise<TaskOutcomes[]> {
  const { rows } = await pool.query<TaskOutcomes>(
    'select id, status, attempts, attempt_history as history from tasks where id = any($1::uuid[])',
    [ids],
  );
  return rows;
}

export function recordsOf(task: TaskOutcomes, outcome: AttemptRecord['outcome']): AttemptRecord[] {
  return task.history.filter((record) => record.outcome === outcome);
}

export async function completedCount(pool: Pool, ids: readonly string[]): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `select count(*)::int as n from tasks where id = any($1::uuid[]) and status = 'completed'`,
    [ids],
  );
  return rows[0]!.n;
}

/** How often each task's handler started, and on which workers (the `record` task type's log). */
export async function executionsOf(pool: Pool, ids: readonly string[]): Promise<Array<{ task_id: string; workers: string[] }>> {
  const { rows } = await pool.query<{ task_id: string; workers: string[] }>(
    `select task_id, array_agg(worker_id order by started_at) as workers
       from task_executions where task_id = any($1::uuid[]) group by task_id`,
    [ids],
  );
  return rows;
}
