import { TASK_STATES, type TaskState } from '@taskforge/model';
import type { Queryable } from '../db/queryable.js';
import type { TaskStats } from '../tasks/task-stats.js';
import { LIVE_ROWS_SQL, queueStatsSql } from './queue-stats-query.js';

/** Tasks finished (completed, or failed for good) within a time window. */
export interface FinishedCounts {
  completed: number;
  failed: number;
}

/** The tasks table as PostgreSQL's statistics see it (pg_stat_user_tables). */
export interface TableHealth {
  n_live_tup: number;
  n_dead_tup: number;
  last_vacuum: Date | null;
  last_autovacuum: Date | null;
  last_analyze: Date | null;
  last_autoanalyze: Date | null;
  /** Table, indexes and TOAST, in bytes. */
  total_bytes: number;
  /**
   * Whether autovacuum may vacuum the table: on server-wide and not turned off for it. When
   * off, the dead rows every finished or deleted task leaves are never reclaimed and the table
   * grows without bound (the soak measured 35 → 388 MB in 10 minutes at 1,000 tasks/s).
   */
  autovacuum_enabled: boolean;
}

/** The session whose open snapshot is oldest: while it lasts, vacuum cannot remove dead tuples newer than it. */
export interface OldestTransaction {
  age_seconds: number;
  pid: number;
  state: string | null;
  application_name: string | null;
}

export interface VacuumHorizon {
  /** Null when no other session of this database holds a snapshot. */
  oldest_transaction: OldestTransaction | null;
  /** Prepared (two-phase) transactions in this database: they pin the horizon until committed or rolled back. */
  prepared_transactions: number;
  /** Replication slots holding an xmin (a standby with hot_standby_feedback, say): they pin it for every database. */
  replication_slots_holding_xmin: number;
}

export interface QueueStats extends TaskStats {
  /**
   * 'exact' when every task was counted; 'estimated' when the table held more live rows than
   * the exact-count limit, so finished tasks (completed, cancelled, failed for good, and the
   * totals including them) were estimated from a sample. Queued and running tasks are always exact.
   */
  counts: 'exact' | 'estimated';
  by_task_name: Record<string, TaskStats>;
  /** Age of the oldest task that is due and not claimed (pending, or failed awaiting its retry); 0 when none waits. */
  queue_lag_ms: number;
  /** Tasks held (running or claimed ahead) per worker id, from the tasks table. */
  running_by_worker: Record<string, number>;
  throughput: { last_minute: FinishedCounts; last_hour: FinishedCounts };
  table: TableHealth;
  vacuum_horizon: VacuumHorizon;
}

export interface QueueStatsOptions {
  /** Above this many live rows, finished tasks are estimated from a sample (default 100,000). */
  exactCountLimit?: number;
  /** Rows the sample aims at when estimating (default 20,000). */
  sampleRows?: number;
}

/** Counting 100k rows one by one takes ~30 ms; above that the estimate is cheaper (see queue-stats-query.ts). */
export const DEFAULT_EXACT_COUNT_LIMIT = 100_000;
const DEFAULT_SAMPLE_ROWS = 20_000;

type Bucket = Exclude<keyof TaskStats, 'failed' | 'total'>;

interface QueueStatsRow {
  counts: Array<[string, Bucket, number]>;
  queue_lag_ms: number;
  running_by_worker: Record<string, number>;
  throughput: { completed_last_minute: number; failed_last_minute: number; completed_last_hour: number; failed_last_hour: number };
  table_stats:
    | (Record<'n_live_tup' | 'n_dead_tup', number> &
        Record<'last_vacuum' | 'last_autovacuum' | 'last_analyze' | 'last_autoanalyze', string | null>)
    | null;
  total_bytes: number;
  autovacuum_enabled: boolean;
  oldest_transaction: OldestTransaction | null;
  prepared_transactions: number;
  replication_slots_holding_xmin: number;
}

/**
 * Everything GET /monitor/stats reports: counts per status and task name, queue lag, tasks per
 * worker, throughput and the table's health. Two round-trips: the live-row count (from the
 * statistics, no scan), then one statement, which counts finished tasks exactly or estimates them.
 */
export async function getQueueStats(db: Queryable, options: QueueStatsOptions = {}): Promise<QueueStats> {
  const limit = options.exactCountLimit ?? DEFAULT_EXACT_COUNT_LIMIT;
  const sampleRows = options.sampleRows ?? DEFAULT_SAMPLE_ROWS;
  const { rows: live } = await db.query<{ live_rows: number }>(LIVE_ROWS_SQL);
  const liveRows = live[0]!.live_rows;
  const estimated = liveRows > limit;
  const { rows } = estimated
    ? await db.query<QueueStatsRow>({
        name: 'taskforge_queue_stats_sampled',
        text: queueStatsSql('sampled'),
        values: [Math.min(100, (100 * sampleRows) / Math.max(liveRows, 1))],
      })
    : await db.query<QueueStatsRow>({ name: 'taskforge_queue_stats_exact', text: queueStatsSql('exact') });
  return toQueueStats(rows[0]!, estimated);
}

function toQueueStats(row: QueueStatsRow, estimated: boolean): QueueStats {
  const byName: Record<string, TaskStats> = {};
  const overall = zeroStats();
  for (const [name, bucket, n] of row.counts) {
    byName[name] ??= zeroStats();
    byName[name][bucket] += n;
    overall[bucket] += n;
  }
  const sortedNames = Object.keys(byName).sort();
  const table = row.table_stats;
  return {
    ...withTotals(overall),
    counts: estimated ? 'estimated' : 'exact',
    by_task_name: Object.fromEntries(sortedNames.map((name) => [name, withTotals(byName[name]!)])),
    queue_lag_ms: Math.round(row.queue_lag_ms),
    running_by_worker: row.running_by_worker,
    throughput: {
      last_minute: { completed: row.throughput.completed_last_minute, failed: row.throughput.failed_last_minute },
      last_hour: { completed: row.throughput.completed_last_hour, failed: row.throughput.failed_last_hour },
    },
    table: {
      n_live_tup: table?.n_live_tup ?? 0,
      n_dead_tup: table?.n_dead_tup ?? 0,
      last_vacuum: toDate(table?.last_vacuum),
      last_autovacuum: toDate(table?.last_autovacuum),
      last_analyze: toDate(table?.last_analyze),
      last_autoanalyze: toDate(table?.last_autoanalyze),
      total_bytes: row.total_bytes,
      autovacuum_enabled: row.autovacuum_enabled,
    },
    vacuum_horizon: {
      oldest_transaction: row.oldest_transaction,
      prepared_transactions: row.prepared_transactions,
      replication_slots_holding_xmin: row.replication_slots_holding_xmin,
    },
  };
}

function zeroStats(): TaskStats {
  return { ...(Object.fromEntries(TASK_STATES.map((state) => [state, 0])) as Record<TaskState, number>), failed: 0, total: 0 };
}

function withTotals(stats: TaskStats): TaskStats {
  const failed = stats.failed_awaiting_retry + stats.failed_permanently;
  return { ...stats, failed, total: TASK_STATES.reduce((sum, state) => sum + stats[state], 0) };
}

function toDate(value: string | null | undefined): Date | null {
  return value ? new Date(value) : null;
}
