import { TASK_STATES } from '@taskforge/model';
import { Gauge, type Registry } from 'prom-client';
import type { Queryable } from '../db/queryable.js';
import { getQueueStats, type QueueStats, type QueueStatsOptions } from '../monitor/queue-stats.js';

/** The statuses of the tasks gauge, the task states: mutually exclusive, so summing them gives every task. */
const STATUS_BUCKETS = TASK_STATES;

/**
 * Gauges of the shared queue, read from the database when scraped: one getQueueStats per
 * scrape, shared by every gauge (prom-client collects them concurrently). Served by the API
 * only: every worker would otherwise run the same query for the same figures. While the
 * database cannot be read, `taskforge_queue_stats_up` is 0, `taskforge_tasks` has no series
 * and the single-figure gauges read 0 (prom-client always exposes a gauge without labels).
 */
export function registerQueueMetrics(registry: Registry, db: Queryable, options: QueueStatsOptions = {}): void {
  let inFlight: Promise<QueueStats | null> | undefined;
  const snapshot = (): Promise<QueueStats | null> =>
    (inFlight ??= getQueueStats(db, options)
      .catch(() => null)
      .finally(() => {
        inFlight = undefined;
      }));

  const registers = [registry];
  /** A gauge of one figure; 0 when the database could not be read. */
  const gauge = (name: string, help: string, read: (stats: QueueStats) => number) =>
    new Gauge({
      name,
      help,
      registers,
      async collect() {
        const stats = await snapshot();
        this.reset();
        if (stats) this.set(read(stats));
      },
    });

  new Gauge({
    name: 'taskforge_queue_stats_up',
    help: '1 when the queue figures could be read from the database at this scrape, else 0.',
    registers,
    async collect() {
      this.set((await snapshot()) ? 1 : 0);
    },
  });
  new Gauge({
    name: 'taskforge_tasks',
    help: `Tasks by status (${STATUS_BUCKETS.join(', ')}) and task name; finished ones estimated above the exact-count limit.`,
    labelNames: ['status', 'task_name'] as const,
    registers,
    async collect() {
      const stats = await snapshot();
      // Reset first, so task names that no longer have tasks disappear.
      this.reset();
      if (!stats) return;
      for (const [name, counts] of Object.entries(stats.by_task_name)) {
        for (const status of STATUS_BUCKETS) this.set({ status, task_name: name }, counts[status]);
      }
    },
  });
  gauge('taskforge_queue_lag_seconds', 'Age of the oldest due task not yet claimed; 0 when none waits.', (s) => s.queue_lag_ms / 1_000);
  gauge('taskforge_tasks_table_live_tuples', 'Live rows of the tasks table (pg_stat_user_tables).', (s) => s.table.n_live_tup);
  gauge('taskforge_tasks_table_dead_tuples', 'Dead rows of the tasks table awaiting vacuum.', (s) => s.table.n_dead_tup);
  gauge(
    'taskforge_db_oldest_transaction_age_seconds',
    'Age of the oldest open transaction of this database holding back vacuum; 0 when none.',
    (s) => s.vacuum_horizon.oldest_transaction?.age_seconds ?? 0,
  );
}
