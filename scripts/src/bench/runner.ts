import type { BenchContext, RunResult, Workload } from './types.js';
import type { WorkloadName } from './options.js';
import { median } from './stats.js';

/** S's figures, per run and as medians. */
export const STARTUP_FIGURES = ['first_claim_ms', 'health_ms', 'worker_cpu_at_ready_s', 'api_ready_ms', 'api_cpu_at_ready_s'] as const;
export type StartupFigure = (typeof STARTUP_FIGURES)[number];

export interface WorkloadSummary {
  workload: WorkloadName;
  /** Medians over the runs. */
  tasks_per_s?: number;
  p50_ms?: number;
  p95_ms?: number;
  p99_ms?: number;
  /** Summed over the runs: one duplicate in any run is one too many. */
  duplicates?: number;
  missing?: number;
  /** The highest over the runs. */
  peak_rss_mb?: number | null;
  rss_mb?: Record<string, number | null>;
  /** S only: medians over the runs of each start-up figure (see workloads/startup.ts). */
  startup?: Record<StartupFigure, number>;
  /** E only: median tasks/s of E over that of A (null when A did not run). */
  ratio_to_A?: number | null;
  runs: RunResult[];
  warnings?: string[];
  /** Set when a run failed; the runs before it are kept. */
  error?: string;
}

/** Runs a workload `runs` times (stopping at the first failure) and summarises. */
export async function runWorkload(
  workload: Workload,
  context: BenchContext,
  progress: (message: string) => void,
): Promise<WorkloadSummary> {
  const runs: RunResult[] = [];
  const warnings: string[] = [];
  let error: string | undefined;
  for (let run = 1; run <= context.options.runs; run++) {
    progress(`${workload.name} run ${run}/${context.options.runs}: ${workload.describe(context.options)}`);
    try {
      const result = await workload.run(context, run, (message) => {
        warnings.push(`run ${run}: ${message}`);
        progress(`${workload.name} warning: ${message}`);
      });
      runs.push(result);
      progress(`${workload.name} run ${run}: ${headline(result)}`);
    } catch (thrown) {
      error = thrown instanceof Error ? thrown.message : String(thrown);
      progress(`${workload.name} failed: ${error}`);
      break;
    }
  }
  return summarise(workload, runs, warnings, error);
}

export function summarise(workload: Workload, runs: RunResult[], warnings: string[], error?: string): WorkloadSummary {
  const summary: WorkloadSummary = { workload: workload.name, runs };
  if (runs.length > 0) {
    const medianOf = (key: 'tasks_per_s' | 'p50_ms' | 'p95_ms' | 'p99_ms') => median(runs.map((run) => run[key] ?? Number.NaN));
    if (workload.kind === 'throughput') summary.tasks_per_s = medianOf('tasks_per_s');
    else if (workload.kind === 'startup')
      summary.startup = Object.fromEntries(
        STARTUP_FIGURES.map((figure) => [figure, median(runs.map((run) => (typeof run[figure] === 'number' ? run[figure] : Number.NaN)))]),
      ) as Record<StartupFigure, number>;
    else Object.assign(summary, { p50_ms: medianOf('p50_ms'), p95_ms: medianOf('p95_ms'), p99_ms: medianOf('p99_ms') });
    summary.duplicates = runs.reduce((sum, run) => sum + run.duplicates, 0);
    summary.missing = runs.reduce((sum, run) => sum + run.missing, 0);
    const peaks = runs.map((run) => run.peak_rss_mb).filter((value): value is number => value !== null);
    summary.peak_rss_mb = peaks.length ? Math.max(...peaks) : null;
    const kinds: Record<string, number | null> = {};
    for (const run of runs) {
      for (const [kind, value] of Object.entries(run.rss_mb ?? {}))
        kinds[kind] = value === null ? (kinds[kind] ?? null) : Math.max(kinds[kind] ?? 0, value);
    }
    if (Object.keys(kinds).length) summary.rss_mb = kinds;
  }
  if (warnings.length) summary.warnings = warnings;
  if (error !== undefined) summary.error = error;
  return summary;
}

/** E against A: how much a million finished rows slow the drain (1 = not at all). */
export function addRatioToA(e: WorkloadSummary, a: WorkloadSummary | undefined): void {
  e.ratio_to_A = a?.tasks_per_s && e.tasks_per_s ? e.tasks_per_s / a.tasks_per_s : null;
}

/** True when the workload failed or its exactly-once checks did. */
export function failed(summary: WorkloadSummary): boolean {
  return summary.error !== undefined || (summary.duplicates ?? 0) > 0 || (summary.missing ?? 0) > 0;
}

function headline(run: RunResult): string {
  const main =
    typeof run.first_claim_ms === 'number'
      ? `worker first claim ${Math.round(run.first_claim_ms)} ms, API ready ${Math.round(run.api_ready_ms as number)} ms`
      : run.tasks_per_s !== undefined
        ? `${Math.round(run.tasks_per_s)} tasks/s`
        : `p50 ${run.p50_ms?.toFixed(1)} ms, p95 ${run.p95_ms?.toFixed(1)} ms, p99 ${run.p99_ms?.toFixed(1)} ms`;
  return `${main}; duplicates ${run.duplicates}, missing ${run.missing}, peak RSS ${run.peak_rss_mb === null ? '-' : `${Math.round(run.peak_rss_mb)} MB`}`;
}
