import { setTimeout as sleep } from 'node:timers/promises';
import type { Queryable } from '../../packages/core/src/index.js';

/**
 * A table of handler runs, start and end by the database's clock, so a test can tell how many
 * runs of a task type overlapped without trusting any process's timers.
 */
export async function createRunLog(db: Queryable): Promise<void> {
  await db.query(`create table if not exists task_runs (
    id         bigint generated always as identity primary key,
    task_id    uuid not null,
    task_name  text not null,
    started_at timestamptz not null default clock_timestamp(),
    ended_at   timestamptz
  )`);
}

/** Records a run's start, waits `ms`, records its end: the body of a handler whose runs a test counts. */
export async function recordRun(db: Queryable, taskId: string, taskName: string, ms: number): Promise<void> {
  const { rows } = await db.query<{ id: string }>('insert into task_runs (task_id, task_name) values ($1, $2) returning id', [
    taskId,
    taskName,
  ]);
  try {
    await sleep(ms);
  } finally {
    await db.query('update task_runs set ended_at = clock_timestamp() where id = $1', [rows[0]!.id]);
  }
}

export interface RunCounts {
  task_name: string;
  runs: number;
  /** Distinct tasks that ran. */
  tasks: number;
  /** Most runs of this name under way at one moment. */
  max_overlap: number;
}

/** Per task name: runs, tasks, and the most runs that overlapped (at some run's start, how many had started and not ended). */
export async function runCounts(db: Queryable): Promise<Map<string, RunCounts>> {
  const { rows } = await db.query<RunCounts>(
    `select s.task_name, count(*)::int as runs, count(distinct s.task_id)::int as tasks,
            max((select count(*) from task_runs o
                  where o.task_name = s.task_name
                    and o.started_at <= s.started_at
                    and (o.ended_at is null or o.ended_at > s.started_at)))::int as max_overlap
       from task_runs s
      group by s.task_name`,
  );
  return new Map(rows.map((row) => [row.task_name, row]));
}
