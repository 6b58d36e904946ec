import type { SoakRow } from './series.js';

const MB = 1024 * 1024;

interface Column {
  title: string;
  cell(row: SoakRow): string;
  /** Counts that can reach millions get wider columns. */
  wide?: boolean;
}

const int = (value: number) => String(Math.round(value));
const ms = (value: number | null) => (value === null ? '-' : value < 100 ? value.toFixed(1) : int(value));
const mb = (bytes: number) => (bytes / MB).toFixed(1);

const COLUMNS: Column[] = [
  { title: 't s', cell: (row) => int(row.t) },
  { title: 'sub/s', cell: (row) => int(row.submittedPerS) },
  { title: 'skip', cell: (row) => int(row.skipped) },
  { title: 'err', cell: (row) => int(row.errors) },
  { title: 'done/s', cell: (row) => int(row.completedPerS) },
  { title: 'failed', cell: (row) => int(row.failedForGood) },
  { title: 'due', wide: true, cell: (row) => int(row.dueBacklog) },
  { title: 'queued', wide: true, cell: (row) => int(row.queued) },
  { title: 'run', cell: (row) => int(row.running) },
  { title: 'p50 ms', cell: (row) => ms(row.pickupP50Ms) },
  { title: 'p99 ms', cell: (row) => ms(row.pickupP99Ms) },
  { title: 'table MB', cell: (row) => mb(row.tableBytes) },
  { title: 'index MB', cell: (row) => mb(row.indexBytes) },
  { title: 'live', wide: true, cell: (row) => int(row.liveTuples) },
  { title: 'dead', wide: true, cell: (row) => int(row.deadTuples) },
  { title: 'vac', cell: (row) => int(row.autovacuums) },
  { title: 'anl', cell: (row) => int(row.autoanalyzes) },
  { title: 'deleted', wide: true, cell: (row) => int(row.deleted) },
  { title: 'rss MB', cell: (row) => (row.rssMb === null ? '-' : int(row.rssMb)) },
];

/** Fixed, wide enough for a 1,000-task/s run's figures, so rows printed one at a time stay aligned. */
const WIDTHS = COLUMNS.map((column) => Math.max(column.title.length, column.wide ? 8 : 6));

const line = (cells: readonly string[]) => cells.map((cell, i) => cell.padStart(WIDTHS[i]!)).join(' ');

export const SERIES_LEGEND = [
  'Each row covers the interval that ended at t (seconds since submission started):',
  '  sub/s     tasks the API stored per second (POST /tasks/batch); skip: tasks the schedule called for but the',
  '            submitter, still behind, never sent; err: tasks in refused or failed requests',
  '  done/s    tasks completed per second; failed: tasks failed for good (fail tasks after their 2 retries)',
  '  due       queued tasks already due and not claimed (the backlog); queued: all queued, with retries not yet due;',
  '            run: tasks running',
  '  p50/p99   claim latency, measured as pickup latency: started_at − scheduled_at of the attempts started in the',
  "            interval, i.e. from the moment an attempt was due to the claim that started it (the worker's /metrics",
  '            has no claim-statement duration histogram, only taskforge_worker_claims_total)',
  '  table/index MB   pg_table_size and pg_indexes_size of tasks; live/dead: n_live_tup and n_dead_tup',
  '  vac/anl   autovacuum and autoanalyze runs on tasks in the interval (pg_stat_user_tables)',
  "  deleted   rows deleted from tasks in the interval (n_tup_del): retention's sweeps",
  '  rss MB    resident memory of the largest product process (the API or a worker)',
];

export function formatHeader(): string {
  return line(COLUMNS.map((column) => column.title));
}

export function formatRow(row: SoakRow): string {
  return line(COLUMNS.map((column) => column.cell(row)));
}
