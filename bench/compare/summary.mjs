// Medians of a workload's runs, and the table graphile-bench.mjs prints.
import { CONCURRENCY, TUNED_PRESET, WORKLOADS } from './workloads.mjs';

/** The value at rank floor(n·q) of the sorted values (the same rule as taskforge's bench). */
export function quantile(sorted, q) {
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * q))];
}

export const round2 = (x) => Math.round(x * 100) / 100;

export function median(values) {
  const sorted = values.filter((v) => v != null).sort((a, b) => a - b);
  if (sorted.length === 0) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function summarize(workload, runs, options, version) {
  const sum = (key) => runs.reduce((s, r) => s + (r[key] ?? 0), 0);
  const base = { system: 'graphile-worker', version: version, workload: workload.name };
  const tuned = workload.preset && Object.keys(workload.preset).length > 0;
  const config =
    workload.kind === 'enqueue'
      ? { enqueues: options.enqueues, in_flight: 10 }
      : {
          ...(workload.kind === 'drain'
            ? { jobs: options.jobs, processes: workload.processes }
            : { jobs: options.latencyJobs, interval_ms: 20 }),
          concurrency: CONCURRENCY,
          options: tuned ? workload.preset : 'defaults',
        };
  if (workload.kind === 'latency') {
    return {
      ...base,
      p50_ms: round2(median(runs.map((r) => r.p50_ms))),
      p95_ms: round2(median(runs.map((r) => r.p95_ms))),
      p99_ms: round2(median(runs.map((r) => r.p99_ms))),
      duplicates: sum('duplicates'),
      missing: sum('missing'),
      peak_rss_mb: median(runs.map((r) => r.peak_rss_mb)),
      ...config,
      runs,
    };
  }
  return {
    ...base,
    tasks_per_s: Math.round(median(runs.map((r) => r.tasks_per_s))),
    duplicates: sum('duplicates'),
    missing: sum('missing'),
    ...(workload.kind === 'drain' ? { peak_rss_mb: median(runs.map((r) => r.peak_rss_mb)) } : {}),
    ...config,
    runs,
  };
}

export function table(summaries, options, version) {
  const rows = summaries.map((s) => {
    const workload = WORKLOADS.find((w) => w.name === s.workload);
    const result = s.tasks_per_s != null ? `${s.tasks_per_s} tasks/s` : `p50 ${s.p50_ms} ms, p95 ${s.p95_ms} ms, p99 ${s.p99_ms} ms`;
    const perRun = s.runs.map((r) => (r.tasks_per_s != null ? r.tasks_per_s : `${r.p50_ms}/${r.p95_ms}/${r.p99_ms}`)).join(', ');
    return [
      s.workload,
      workload.title,
      result,
      `${s.duplicates}/${s.missing}`,
      s.peak_rss_mb == null ? '-' : String(s.peak_rss_mb),
      perRun,
    ];
  });
  const header = ['workload', 'what', `median of ${options.runs}`, 'dup/missing', 'peak RSS MB', 'runs'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) =>
    cells
      .map((c, i) => c.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [
    `graphile-worker ${version} — node ${process.version}; A: ${options.jobs} jobs; B: ${options.enqueues} addJob calls; C: ${options.latencyJobs} jobs 20 ms apart`,
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    `tuned = ${JSON.stringify(TUNED_PRESET)}; peak RSS = largest worker process (A2: the larger of the two; C: worker and producer share the process)`,
  ].join('\n');
}
