/**
 * The statement behind getQueueStats: every figure of GET /monitor/stats in one round-trip and
 * one snapshot, after a look at the table's live-row count decides how finished tasks are
 * counted (`queueStatsSql`).
 *
 * What each part reads, measured with EXPLAIN ANALYZE on 1,000,000 tasks (900k completed, 50k
 * queued, 500 running; a 2-core machine shared with other jobs, so ranges):
 * - counting every row by status and name (a sequential scan): 290–550 ms. Too slow to run on
 *   every scrape, and it grows with the table; so it is exact only up to a limit of live rows;
 * - unfinished tasks (queued and running) by name, from the partial indexes tasks_claim_idx and
 *   tasks_lease_idx: 40–150 ms with 50k of them (it grows with the backlog, not with history);
 * - finished tasks by name from a page sample (TABLESAMPLE SYSTEM, ~20k rows): 10–45 ms;
 * - queue lag, an index-only scan of tasks_claim_idx over the due entries: 4–17 ms;
 * - throughput, tasks_finished_idx over the last hour (13k entries): 12–40 ms;
 * - tasks running per worker, tasks_lease_idx: under 6 ms; the catalog views: under 1 ms.
 * Both ways of counting finished tasks are separate statements rather than branches of one
 * gated by a condition: the planner would still plan the exact count's parallel scan, and
 * starting its workers cost up to 290 ms for a scan that never ran.
 */

/** Live rows of the tasks table as the statistics collector counts them (no scan). */
export const LIVE_ROWS_SQL = `select coalesce((select n_live_tup from pg_stat_user_tables where relid = 'tasks'::regclass), 0)::float8 as live_rows`;

// The state functions of sql/task-states.sql: the counts' buckets are the task states.
const FINISHED = `taskforge_task_is_final(status, next_retry_at)`;
const FINISHED_BUCKET = `taskforge_task_state(status, next_retry_at)`;

/** Finished tasks counted one by one. */
const FINISHED_EXACT = `
  select task_name, ${FINISHED_BUCKET} as bucket, count(*) as n
    from tasks
   where ${FINISHED}
   group by 1, 2`;

/**
 * Finished tasks estimated from a sample of $1 percent of the table's pages, scaled up. The
 * SYSTEM method reads whole pages, so it costs the sampled pages only. REPEATABLE: the same
 * pages while the table keeps its size, so figures do not jitter between scrapes.
 */
const FINISHED_SAMPLED = `
  select task_name, ${FINISHED_BUCKET} as bucket, round(count(*) * 100 / $1::float4) as n
    from tasks tablesample system ($1::float4) repeatable (0)
   where ${FINISHED}
   group by 1, 2`;

const QUEUE_STATS_SQL = `
with unfinished as (
  -- Each half matches a partial index exactly, so only queued and running rows are read.
  select task_name, taskforge_task_state(status, next_retry_at) as bucket, count(*) as n
    from (select task_name, status, next_retry_at from tasks where taskforge_task_is_queued(status, next_retry_at)
          union all
          select task_name, status, next_retry_at from tasks where status = 'running') queued_or_running
   group by 1, 2
),
finished as ($FINISHED_COUNTS
),
recently_finished as (
  select count(*) filter (where status = 'completed' and finished_at > now() - interval '1 minute') as completed_last_minute,
         count(*) filter (where status = 'failed' and finished_at > now() - interval '1 minute') as failed_last_minute,
         count(*) filter (where status = 'completed') as completed_last_hour,
         count(*) filter (where status = 'failed') as failed_last_hour
    from tasks
   where finished_at > now() - interval '1 hour'
),
oldest_transaction as (
  -- Sessions of this database that pin the vacuum horizon: by their snapshot (backend_xmin) or,
  -- idle in a transaction that wrote, by their transaction id (backend_xid). Another database's
  -- sessions do not hold back this table's vacuum. Needs pg_read_all_stats to see other roles.
  select pid, state, application_name, greatest(0, extract(epoch from clock_timestamp() - xact_start))::float8 as age_seconds
    from pg_stat_activity
   where (backend_xmin is not null or backend_xid is not null)
     and datname = current_database()
     and backend_type = 'client backend'
     and pid <> pg_backend_pid()
   order by xact_start nulls last
   limit 1
)
select (select coalesce(json_agg(json_build_array(task_name, bucket, n)), '[]')
          from (select * from unfinished union all select * from finished) counts) as counts,
       (select coalesce(extract(epoch from now() - min(scheduled_at)) * 1000, 0)::float8
          from tasks
         where taskforge_task_is_queued(status, next_retry_at)
           and scheduled_at <= now()) as queue_lag_ms,
       (select coalesce(json_object_agg(locked_by, n), '{}')
          from (select locked_by, count(*) as n from tasks where status = 'running' group by locked_by) held) as running_by_worker,
       (select row_to_json(recently_finished) from recently_finished) as throughput,
       (select row_to_json(table_stats)
          from (select n_live_tup, n_dead_tup, last_vacuum, last_autovacuum, last_analyze, last_autoanalyze
                  from pg_stat_user_tables
                 where relid = 'tasks'::regclass) table_stats) as table_stats,
       pg_total_relation_size('tasks'::regclass)::float8 as total_bytes,
       -- Off server-wide, or for this table: dead tuples then pile up and the table only grows.
       current_setting('autovacuum') = 'on'
         and not coalesce((select 'autovacuum_enabled=false' = any(reloptions) from pg_class where oid = 'tasks'::regclass), false)
         as autovacuum_enabled,
       (select row_to_json(oldest_transaction) from oldest_transaction) as oldest_transaction,
       (select count(*) from pg_prepared_xacts where database = current_database())::int as prepared_transactions,
       (select count(*) from pg_replication_slots where xmin is not null)::int as replication_slots_holding_xmin`;

/** The statement, counting finished tasks exactly or from a sample (then $1 is the percentage). */
export function queueStatsSql(finished: 'exact' | 'sampled'): string {
  return QUEUE_STATS_SQL.replace('$FINISHED_COUNTS', () => (finished === 'exact' ? FINISHED_EXACT : FINISHED_SAMPLED));
}
