import type { BenchOptions } from './options.js';
import type { StartupFigure, WorkloadSummary } from './runner.js';
import type { RunResult, Workload } from './types.js';

/** One line of JSON: the contract's fields first, in a fixed order; numbers to 2 decimals. */
export function formatJsonLine(summary: WorkloadSummary): string {
  const { workload, tasks_per_s, p50_ms, p95_ms, p99_ms, duplicates, missing, peak_rss_mb, ratio_to_A, rss_mb, runs, warnings, error } =
    summary;
  const ordered = {
    workload,
    tasks_per_s,
    p50_ms,
    p95_ms,
    p99_ms,
    duplicates,
    missing,
    peak_rss_mb,
    ratio_to_A,
    rss_mb,
    runs: runs.map(orderRun),
    warnings,
    error,
  };
  return JSON.stringify(ordered, (_key, value: unknown) =>
    typeof value === 'number' && !Number.isInteger(value) && Number.isFinite(value) ? Math.round(value * 100) / 100 : value,
  );
}

/** A run's fields in the same order as the summary's, details after. */
function orderRun(run: RunResult): RunResult {
  const { tasks_per_s, p50_ms, p95_ms, p99_ms, duplicates, missing, peak_rss_mb, rss_mb, cpu_s, ...details } = run;
  return { tasks_per_s, p50_ms, p95_ms, p99_ms, duplicates, missing, peak_rss_mb, rss_mb, cpu_s, ...details };
}

const int = (value: number) => Math.round(value).toLocaleString('en-US');
const ms = (value: number | undefined) =>
  value === undefined ? '-' : value < 10 ? value.toFixed(2) : value < 100 ? value.toFixed(1) : int(value);

/** The readable report: one row per workload, then what each row measured, warnings and errors. */
export function formatTable(
  summaries: readonly WorkloadSummary[],
  workloads: Record<string, Workload>,
  options: BenchOptions,
  database: string,
): string {
  const header = ['workload', 'what', 'result', 'duplicates', 'missing', 'peak RSS'];
  const rows = summaries.map((summary) => [
    summary.workload,
    workloads[summary.workload]!.describe(options),
    result(summary),
    summary.duplicates === undefined ? '-' : String(summary.duplicates),
    summary.missing === undefined ? '-' : String(summary.missing),
    rss(summary),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const right = new Set([3, 4, 5]);
  const line = (cells: string[]) =>
    cells
      .map((cell, column) => (right.has(column) ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!)))
      .join('  ')
      .trimEnd();
  const out = [
    `taskforge bench: ${database}; ${options.runs === 1 ? '1 run' : `medians of ${options.runs} runs`} per workload`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
  ];
  const notes = summaries.flatMap((summary) => details(summary).map((detail) => `${summary.workload}: ${detail}`));
  out.push(...notes);
  out.push(
    '',
    'duplicates and missing are summed over the runs (a drain: attempts > 1 / not completed; C: more than one',
    'handler execution; B, D: rows stored but not acknowledged / acknowledged but not stored). Peak RSS is VmHWM',
    'of the worker / API processes just before SIGTERM, the highest over the runs.',
  );
  return out.join('\n');
}

function result(summary: WorkloadSummary): string {
  if (summary.error !== undefined && summary.runs.length === 0) return 'ERROR (see below)';
  let text =
    summary.startup !== undefined
      ? startupText(summary.startup)
      : summary.tasks_per_s !== undefined
        ? `${int(summary.tasks_per_s)} tasks/s`
        : `p50 ${ms(summary.p50_ms)} ms, p95 ${ms(summary.p95_ms)} ms, p99 ${ms(summary.p99_ms)} ms`;
  if (summary.ratio_to_A !== undefined) text += summary.ratio_to_A === null ? ' (A not run)' : ` (${summary.ratio_to_A.toFixed(2)} × A)`;
  return summary.error !== undefined ? `${text}, then ERROR` : text;
}

/** S: the worker's first claim (and /health) and the API's readiness, from spawn, with the CPU used by then. */
function startupText(figures: Record<StartupFigure, number>): string {
  return (
    `worker: first claim ${int(figures.first_claim_ms)} ms, /health ${int(figures.health_ms)} ms, ${figures.worker_cpu_at_ready_s.toFixed(2)} s CPU; ` +
    `API: ready ${int(figures.api_ready_ms)} ms, ${figures.api_cpu_at_ready_s.toFixed(2)} s CPU`
  );
}

function rss(summary: WorkloadSummary): string {
  const kinds = Object.entries(summary.rss_mb ?? {}).filter(([, value]) => value !== null);
  if (kinds.length === 0) return '-';
  return kinds.map(([kind, value]) => `${kind} ${Math.round(value!)} MB`).join(', ');
}

/** Per workload: raw values of every run, the breakdown of drains, clock checks, warnings, errors. */
function details(summary: WorkloadSummary): string[] {
  const lines: string[] = [];
  const runs = summary.runs;
  if (runs.length > 1) {
    const values = runs.map((run) =>
      typeof run.first_claim_ms === 'number'
        ? `first claim ${int(run.first_claim_ms)}/API ${int(run.api_ready_ms as number)} ms`
        : run.tasks_per_s !== undefined
          ? int(run.tasks_per_s)
          : `p50 ${ms(run.p50_ms)}/p99 ${ms(run.p99_ms)}`,
    );
    lines.push(`runs ${values.join(' | ')}`);
  }
  for (const [index, run] of runs.entries()) {
    const prefix = runs.length > 1 ? `run ${index + 1}: ` : '';
    const parts = [drainDetails(run) ?? latencyDetails(run) ?? enqueueDetails(run), cpuDetails(run)].filter(Boolean);
    if (parts.length) lines.push(prefix + parts.join('; '));
  }
  for (const warning of summary.warnings ?? []) lines.push(`WARNING ${warning}`);
  if (summary.error !== undefined) lines.push(`ERROR ${summary.error}`);
  return lines;
}

function drainDetails(run: RunResult): string | undefined {
  if (typeof run.startup_ms !== 'number' || typeof run.seconds !== 'number') return undefined;
  let text = `${run.seconds.toFixed(1)} s in all, of which ${int(run.startup_ms)} ms worker start-up (spawn to /health); ${int(run.tasks_per_s_after_startup as number)} tasks/s after start-up`;
  if (typeof run.history_setup_s === 'number')
    text += `; history of ${int(run.history_rows as number)} rows set up in ${run.history_setup_s.toFixed(1)} s (untimed)`;
  return text;
}

function latencyDetails(run: RunResult): string | undefined {
  if (typeof run.clock_offset_ms !== 'number') return undefined;
  const offset = Math.abs(run.clock_offset_ms) < 0.005 ? 0 : run.clock_offset_ms;
  return `min ${ms(run.min_ms as number)} ms, max ${ms(run.max_ms as number)} ms; PostgreSQL clock - bench clock ${offset.toFixed(2)} ± ${(run.clock_uncertainty_ms as number).toFixed(2)} ms`;
}

function enqueueDetails(run: RunResult): string | undefined {
  if (typeof run.seconds !== 'number') return undefined;
  let text = `${run.seconds.toFixed(2)} s`;
  if (typeof run.requests_per_s === 'number') text += `, ${run.requests_per_s.toFixed(1)} requests/s`;
  if (typeof run.notify_errors === 'number' && run.notify_errors > 0) text += `, ${run.notify_errors} NOTIFY errors`;
  return text;
}

/** CPU seconds per process kind: where the time went (2 cores: at most 2 s of CPU per second of wall). */
function cpuDetails(run: RunResult): string | undefined {
  const kinds = Object.entries(run.cpu_s ?? {}).filter((entry): entry is [string, number] => entry[1] !== null);
  if (kinds.length === 0) return undefined;
  return `CPU ${kinds.map(([kind, seconds]) => `${kind} ${seconds.toFixed(1)} s`).join(', ')}`;
}
