import type { Queryable } from '@taskforge/core';

/**
 * One look at the queue and at the tasks table's physical health, for the longevity soak
 * (`npm run soak`): how far behind the workers are, how fast a due task is picked up, and
 * whether the table, its indexes and its dead tuples stay bounded while tasks churn through
 * insert, claim, retry, completion and retention's delete.
 */
export interface SoakSample {
  /** The database's now() for this sample: the end of the interval the per-interval figures cover. */
  at: Date;
  /** Queued tasks already due (pending, or failed with a retry due): the workers' backlog. */
  dueBacklog: number;
  /** Every queued task, including retries not yet due. */
  queued: number;
  running: number;
  /** Attempts that started in the interval `(since, at]`. */
  started: number;
  /**
   * Pickup latency of those attempts, started_at − scheduled_at (from the moment the attempt
   * was due to the claim that started it), in ms; null when none started.
   */
  pickupP50Ms: number | null;
  pickupP99Ms: number | null;
  /** Tasks that completed, or failed for good, in the interval. */
  completed: number;
  failedPermanently: number;
  /** pg_table_size: the heap with its free space map, visibility map and TOAST. */
  tableBytes: number;
  /** pg_indexes_size: every index of the table. */
  indexBytes: number;
  /** The statistics collector's estimates (pg_stat_user_tables), no scan. */
  liveTuples: number;
  deadTuples: number;
  /** Cumulative since the statistics were last reset: callers take differences between samples. */
  autovacuumCount: number;
  autoanalyzeCount: number;
  deletedTuples: number;
}

/**
 * One statement, one snapshot. The backlog counts read tasks_claim_idx (its predicate is the
 * queued condition), the finished counts tasks_finished_idx over the interval. The pickup
 * latencies scan the table (no index has started_at): the soak keeps the table small with
 * short retention, so this costs a few milliseconds every sample and is not meant for a
 * production table. An attempt whose transaction started before `at` but committed after this
 * statement's snapshot falls between two samples: it is in neither; at thousands of attempts
 * per interval the percentiles do not notice.
 */
const SOAK_SAMPLE_SQL = `
with pickups as (
  select count(*)::int as started,
         percentile_cont(array[0.5, 0.99]) within group (order by extract(epoch from started_at - scheduled_at) * 1000) as ms
    from tasks
   where started_at > $1::timestamptz and started_at <= now()
),
finished as (
  select count(*) filter (where status = 'completed')::int as completed,
         count(*) filter (where status = 'failed')::int as failed_permanently
    from tasks
   where finished_at > $1::timestamptz and finished_at <= now()
),
queued as (
  select count(*) filter (where scheduled_at <= now())::int as due,
         count(*)::int as queued
    from tasks
   where taskforge_task_is_queued(status, next_retry_at)
)
select now() as at,
       queued.due, queued.queued,
       (select count(*)::int from tasks where status = 'running') as running,
       pickups.started, pickups.ms[1]::float8 as p50, pickups.ms[2]::float8 as p99,
       finished.completed, finished.failed_permanently,
       pg_table_size('tasks'::regclass)::float8 as table_bytes,
       pg_indexes_size('tasks'::regclass)::float8 as index_bytes,
       s.n_live_tup::float8 as live, s.n_dead_tup::float8 as dead,
       s.autovacuum_count::float8 as autovacuums, s.autoanalyze_count::float8 as autoanalyzes,
       s.n_tup_del::float8 as deleted
  from pickups, finished, queued, pg_stat_user_tables s
 where s.relid = 'tasks'::regclass`;

interface SoakSampleRow {
  at: Date;
  due: number;
  queued: number;
  running: number;
  started: number;
  p50: number | null;
  p99: number | null;
  completed: number;
  failed_permanently: number;
  table_bytes: number;
  index_bytes: number;
  live: number;
  dead: number;
  autovacuums: number;
  autoanalyzes: number;
  deleted: number;
}

/** Samples the queue and the tasks table; the per-interval figures cover `(since, now()]`. */
export async function readSoakSample(db: Queryable, params: { since: Date }): Promise<SoakSample> {
  const { rows } = await db.query<SoakSampleRow>({ name: 'taskforge_soak_sample', text: SOAK_SAMPLE_SQL, values: [params.since] });
  const row = rows[0]!;
  return {
    at: row.at,
    dueBacklog: row.due,
    queued: row.queued,
    running: row.running,
    started: row.started,
    pickupP50Ms: row.p50,
    pickupP99Ms: row.p99,
    completed: row.completed,
    failedPermanently: row.failed_permanently,
    tableBytes: row.table_bytes,
    indexBytes: row.index_bytes,
    liveTuples: row.live,
    deadTuples: row.dead,
    autovacuumCount: row.autovacuums,
    autoanalyzeCount: row.autoanalyzes,
    deletedTuples: row.deleted,
  };
}

/** What decides whether autovacuum keeps the tasks table in check. */
export interface AutovacuumSettings {
  /** The server-wide switch: off, no table is vacuumed but to prevent wraparound, whatever its own settings. */
  enabled: boolean;
  /** autovacuum_naptime: how often the launcher looks at each database. */
  naptime: string;
  /** The table's own storage parameters (migration 004 sets the autovacuum ones), `name=value`. */
  tableOptions: string[];
}

const AUTOVACUUM_SETTINGS_SQL = `
select current_setting('autovacuum') = 'on' as enabled,
       current_setting('autovacuum_naptime') as naptime,
       coalesce((select reloptions from pg_class where oid = 'tasks'::regclass), '{}') as table_options`;

export async function readAutovacuumSettings(db: Queryable): Promise<AutovacuumSettings> {
  const { rows } = await db.query<{ enabled: boolean; naptime: string; table_options: string[] }>(AUTOVACUUM_SETTINGS_SQL);
  const row = rows[0]!;
  return { enabled: row.enabled, naptime: row.naptime, tableOptions: row.table_options };
}
