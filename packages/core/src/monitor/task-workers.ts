import type { Queryable } from '../db/queryable.js';

/** A worker's row in task_workers, as it last reported itself. */
export interface WorkerRow {
  id: string;
  host: string;
  pid: number;
  started_at: Date;
  last_seen_at: Date;
  concurrency: number;
  task_names: string[];
  /** Handlers running at its last heartbeat. */
  running: number;
}

/** A task a worker holds now, as the overview lists it. */
export interface HeldTask {
  id: string;
  task_name: string;
  /** Start of the current attempt. */
  started_at: Date | null;
  attempts: number;
}

/** At most this many of a worker's tasks are listed; held_tasks still counts them all. */
export const LIVE_WORKER_TASKS_LIMIT = 20;

/** A live worker, with the tasks the tasks table says it holds. */
export interface LiveWorker extends WorkerRow {
  /** Tasks locked by this worker now: running, claimed ahead, or with their outcome on its way. */
  held_tasks: number;
  /** Up to LIVE_WORKER_TASKS_LIMIT of those tasks, the latest started first. */
  running_tasks: HeldTask[];
}

export interface WorkerPresence {
  id: string;
  host: string;
  pid: number;
  concurrency: number;
  taskNames: readonly string[];
  running: number;
}

/**
 * Writes the worker's row and prunes rows of workers not seen for `pruneAfterMs`, in one
 * statement. `starting` resets started_at (a new process under a reused WORKER_ID); a heartbeat
 * keeps it, and re-creates the row should a long outage have let another worker prune it.
 */
export async function upsertWorkerRow(
  db: Queryable,
  params: { worker: WorkerPresence; starting: boolean; pruneAfterMs: number },
): Promise<void> {
  const { worker } = params;
  await db.query({
    name: 'taskforge_upsert_worker_row',
    text: `with pruned as (
             delete from task_workers
              where last_seen_at < now() - $8::float8 * interval '1 millisecond' and id <> $1
           )
           insert into task_workers (id, host, pid, started_at, last_seen_at, concurrency, task_names, running)
           values ($1, $2, $3, now(), now(), $4, $5::text[], $6)
           on conflict (id) do update
              set host = excluded.host,
                  pid = excluded.pid,
                  started_at = case when $7 then excluded.started_at else task_workers.started_at end,
                  last_seen_at = excluded.last_seen_at,
                  concurrency = excluded.concurrency,
                  task_names = excluded.task_names,
                  running = excluded.running`,
    values: [
      worker.id,
      worker.host,
      worker.pid,
      worker.concurrency,
      worker.taskNames,
      worker.running,
      params.starting,
      params.pruneAfterMs,
    ],
  });
}

/** A clean stop: the worker is gone at once rather than after the live cut-off. */
export async function deleteWorkerRow(db: Queryable, id: string): Promise<boolean> {
  const { rowCount } = await db.query('delete from task_workers where id = $1', [id]);
  return rowCount === 1;
}

/** json_agg leaves the tasks' timestamps as text. */
type LiveWorkerRow = Omit<LiveWorker, 'running_tasks'> & {
  running_tasks: Array<Omit<HeldTask, 'started_at'> & { started_at: string | null }>;
};

/** Workers seen within `seenWithinMs`, by id, each with the running tasks locked by it: their count and the latest few. */
export async function listLiveWorkers(db: Queryable, params: { seenWithinMs: number }): Promise<LiveWorker[]> {
  // Both reads of a worker's tasks go through tasks_lease_idx, which holds exactly the running tasks
  // (EXPLAIN ANALYZE, 1,000,000 tasks of which 500 running across 5 workers: 2 ms).
  const { rows } = await db.query<LiveWorkerRow>({
    name: 'taskforge_list_live_workers',
    text: `select w.id, w.host, w.pid, w.started_at, w.last_seen_at, w.concurrency, w.task_names, w.running,
                  (select count(*) from tasks t where t.status = 'running' and t.locked_by = w.id)::int as held_tasks,
                  coalesce(latest.tasks, '[]') as running_tasks
             from task_workers w
             left join lateral (
                    select json_agg(json_build_object('id', t.id, 'task_name', t.task_name, 'started_at', t.started_at, 'attempts', t.attempts)
                                    order by t.started_at desc nulls last, t.id) as tasks
                      from (select id, task_name, started_at, attempts
                              from tasks
                             where status = 'running' and locked_by = w.id
                             order by started_at desc nulls last, id
                             limit $2) t
                  ) latest on true
            where w.last_seen_at >= now() - $1::float8 * interval '1 millisecond'
            order by w.id`,
    values: [params.seenWithinMs, LIVE_WORKER_TASKS_LIMIT],
  });
  return rows.map((row) => ({
    ...row,
    running_tasks: row.running_tasks.map((task) => ({ ...task, started_at: task.started_at === null ? null : new Date(task.started_at) })),
  }));
}
