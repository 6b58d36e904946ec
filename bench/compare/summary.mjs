// The arithmetic of compare.mjs's report, pure functions only (test/bench-compare/summary.spec.ts):
// medians of a system's runs, the best anchor of a row, the ratio to it and the verdict, the table.

/** The value at rank floor(n·q) of the sorted values (the rule of the graphile-worker rows before). */
export function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

/** Nearest rank, p in (0, 100]: the smallest value with at least p % at or below it (taskforge's bench). */
export function percentile(values, p) {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1];
}

export const round2 = (x) => (x == null ? null : Math.round(x * 100) / 100);

/** Median of the finite values (an even count: the mean of the middle two); null when there are none. */
export function median(values) {
  const sorted = values.filter((v) => typeof v === 'number' && Number.isFinite(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * One system's runs of one workload: the median of every metric the runs have, and the
 * exactly-once counts summed (one duplicate in any run is one too many). A run that hit the
 * drain deadline is `partial`; the summary is partial when any run was.
 */
export function summarizeRuns(runs) {
  const metrics = new Set(runs.flatMap((run) => Object.keys(run).filter((key) => typeof run[key] === 'number')));
  const summary = {};
  for (const key of metrics) {
    if (['duplicates', 'missing', 'unfinished'].includes(key)) summary[key] = runs.reduce((sum, run) => sum + (run[key] ?? 0), 0);
    else summary[key] = median(runs.map((run) => run[key]));
  }
  if (runs.some((run) => run.partial)) summary.partial = true;
  return summary;
}

/**
 * A row of the table: `values` maps each column (system and variant, e.g. "pg-boss tuned") to its
 * median, null when it did not run. The best anchor is the best value among the columns other than
 * `ours`; ratio = ours / best; pass = ratio ≥ target ('higher' rows) or ≤ target ('lower' rows),
 * null without a target or without both values.
 */
export function compareRow(row, values, ours = 'taskforge') {
  let best = null;
  for (const [column, value] of values) {
    if (column === ours || typeof value !== 'number' || !Number.isFinite(value)) continue;
    if (!best || (row.better === 'higher' ? value > best.value : value < best.value)) best = { column, value };
  }
  const mine = values.get(ours);
  const ratio = best && typeof mine === 'number' && best.value !== 0 ? mine / best.value : null;
  const pass = row.target === undefined || ratio === null ? null : row.better === 'higher' ? ratio >= row.target : ratio <= row.target;
  return { best, ratio, pass };
}

/** The target as the issue words it: "≥ 1.5 ×" or "≤ best". */
export function targetText(row) {
  if (row.target === undefined) return '';
  if (row.better === 'higher') return `≥ ${row.target} ×`;
  return row.target === 1 ? '≤ best' : `≤ ${row.target} ×`;
}

/** A number as the table shows it: integers with thousands separators, small values with 2 decimals. */
export function formatValue(value) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return '-';
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (Math.abs(value) >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

/**
 * The table: one line per row, a column per system, then the best anchor, the ratio, the target
 * and ✓/✗. `cells(row)` gives the Map column → { value, partial } for that row.
 */
export function formatTable(rows, columns, cells, ours = 'taskforge') {
  const header = ['row', 'unit', ...columns, 'best anchor', 'ratio', 'target', ''];
  const lines = rows.map((row) => {
    const rowCells = cells(row);
    const values = new Map(columns.map((column) => [column, rowCells.get(column)?.value ?? null]));
    const { best, ratio, pass } = compareRow(row, values, ours);
    return [
      row.label,
      row.unit,
      ...columns.map((column) => {
        const cell = rowCells.get(column);
        return cell ? `${formatValue(cell.value)}${cell.partial ? '*' : ''}` : '-';
      }),
      best ? best.column : '-',
      ratio === null ? '-' : `${ratio.toFixed(2)} ×`,
      targetText(row),
      pass === null ? '' : pass ? '✓' : '✗',
    ];
  });
  const widths = header.map((title, i) => Math.max(title.length, ...lines.map((line) => line[i].length)));
  const numeric = (i) => i >= 2 && i < 2 + columns.length;
  const render = (cellsOfLine) =>
    cellsOfLine
      .map((cell, i) => (numeric(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [render(header), render(widths.map((w) => '-'.repeat(w))), ...lines.map(render)].join('\n');
}

/**
 * The figures of a drain, the same for every system: tasks/s from the spawn of the first worker
 * process and after start-up (the slowest process's spawn → ready), CPU per task of the worker
 * processes (after start-up) and of PostgreSQL's backends for the system's database (the whole
 * timed phase). CPU seconds are null where /proc could not be read.
 */
export function drainResult({ tasks, seconds, startupMs, workerCpuS, postgresCpuS, duplicates, missing, peakRssMb }) {
  const perTaskUs = (cpu) => (typeof cpu === 'number' && Number.isFinite(cpu) ? (cpu / tasks) * 1e6 : null);
  const peaks = peakRssMb.filter((mb) => typeof mb === 'number');
  return {
    tasks_per_s: tasks / seconds,
    tasks_per_s_after_startup: seconds > startupMs / 1_000 ? tasks / (seconds - startupMs / 1_000) : null,
    startup_ms: startupMs,
    seconds,
    worker_cpu_s: workerCpuS,
    postgres_cpu_s: postgresCpuS,
    worker_cpu_us_per_task: perTaskUs(workerCpuS),
    postgres_cpu_us_per_task: perTaskUs(postgresCpuS),
    duplicates,
    missing,
    peak_rss_mb: peaks.length ? Math.max(...peaks) : null,
  };
}

/**
 * Exactly-once over the executions the children counted, [id, times] pairs merged over the
 * processes: duplicates = Σ (times − 1), missing = ids in [0, expected) that never ran,
 * unexpected = executions of ids outside that range.
 */
export function exactlyOnce(expected, countLists) {
  const counts = new Map();
  for (const list of countLists) for (const [id, n] of list) counts.set(id, (counts.get(id) ?? 0) + n);
  let duplicates = 0;
  let unexpected = 0;
  for (const [id, n] of counts) {
    if (!Number.isInteger(id) || id < 0 || id >= expected) unexpected += n;
    else if (n > 1) duplicates += n - 1;
  }
  let missing = 0;
  for (let id = 0; id < expected; id++) if (!counts.has(id)) missing++;
  return { duplicates, missing, unexpected };
}
