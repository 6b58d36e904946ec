import { TASK_STATUSES as STATUSES, type LiveWorker, type QueueStats, type StatusCounts, type ThroughputMinute } from '@taskforge/client';
import { formatDuration } from '../duration.js';
import { formatTable } from './table.js';

/** What one frame shows: GET /monitor/stats, /monitor/workers and /monitor/throughput. */
export interface StatsSnapshot {
  /** The parts of the stats this view shows (table health is left to the dashboard). */
  stats: StatusCounts & Pick<QueueStats, 'counts' | 'by_task_name' | 'queue_lag_ms' | 'throughput'>;
  workers: readonly LiveWorker[];
  minutes: readonly ThroughputMinute[];
}

const BARS = '▁▂▃▄▅▆▇█';

/** Tasks finished per minute as one character each, scaled to the busiest minute. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values
    .map((value) => (max === 0 || value === 0 ? ' ' : BARS[Math.min(BARS.length - 1, Math.floor((value / max) * (BARS.length - 1)))]!))
    .join('');
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((line) => `  ${line}`)
    .join('\n');
}

/** One frame of `taskforge stats`: counts, lag, throughput, tasks per name, workers. Plain text, no escape codes. */
export function renderStats(snapshot: StatsSnapshot, header: string, now = Date.now()): string {
  const { stats, workers, minutes } = snapshot;
  const counts = (c: StatusCounts) => [...STATUSES.map((status) => String(c[status])), String(c.total)];
  const perMinute = minutes.map((m) => m.completed + m.failed);
  const names = Object.entries(stats.by_task_name).sort(([a], [b]) => a.localeCompare(b));
  const lines = [
    header,
    '',
    'Tasks',
    indent(formatTable([...STATUSES, 'total'], [counts(stats)])),
    `  failed: ${stats.failed_awaiting_retry} awaiting a retry, ${stats.failed_permanently} for good${stats.counts === 'estimated' ? '  (finished counts estimated)' : ''}`,
    '',
    `Queue lag   ${stats.queue_lag_ms > 0 ? `${formatDuration(stats.queue_lag_ms)} (the oldest due task waiting to be claimed)` : 'none: no due task waits'}`,
    `Throughput  last minute ${stats.throughput.last_minute.completed} completed, ${stats.throughput.last_minute.failed} failed;` +
      ` last hour ${stats.throughput.last_hour.completed} completed, ${stats.throughput.last_hour.failed} failed`,
    `            per minute, last ${perMinute.length} min: |${sparkline(perMinute)}| peak ${Math.max(0, ...perMinute)}`,
    '',
    `By task name (${names.length})`,
    names.length
      ? indent(
          formatTable(
            ['name', ...STATUSES],
            names.map(([name, c]) => [name, ...counts(c).slice(0, -1)]),
          ),
        )
      : '  none',
    '',
    `Workers (${workers.length} live)`,
    workers.length
      ? indent(
          formatTable(
            ['id', 'running', 'held', 'concurrency', 'last seen', 'task names'],
            workers.map((w) => [
              w.id,
              String(w.running),
              String(w.held_tasks),
              String(w.concurrency),
              `${formatDuration(Math.max(0, now - Date.parse(w.last_seen_at)))} ago`,
              w.task_names.join(', '),
            ]),
          ),
        )
      : '  none: no worker has sent a heartbeat lately',
  ];
  return `${lines.join('\n')}\n`;
}
