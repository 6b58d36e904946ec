import type { Pool } from '@taskforge/core';
import type { BenchOptions, WorkloadName } from './options.js';
import type { Service, StoppedService } from './processes.js';
import type { TimedCpu } from './usage-meter.js';

/** What every workload gets: the scratch database and the options. */
export interface BenchContext {
  /** URL of the scratch database; the product's processes get it as DATABASE_URL. */
  url: string;
  /** The bench's own connections for setup and checks (not used by the measured paths). */
  admin: Pool;
  options: BenchOptions;
}

/** One run of one workload. Numbers only, so the JSON stays flat. */
export interface RunResult {
  tasks_per_s?: number;
  p50_ms?: number;
  p95_ms?: number;
  p99_ms?: number;
  /** Tasks run more than once in the success path. */
  duplicates: number;
  /** Tasks acknowledged (or pre-enqueued) but not completed / not stored. */
  missing: number;
  /** Highest VmHWM among the product's processes of this run; null when there were none. */
  peak_rss_mb: number | null;
  /** Per process kind (worker, api), the highest VmHWM. */
  rss_mb?: Record<string, number | null>;
  /** CPU seconds per process kind (worker, api, postgres: the product's backends, bench: this process). */
  cpu_s?: Record<string, number | null>;
  /** Anything else worth seeing per run (seconds, startup_ms, clock offset …). */
  [detail: string]: number | null | undefined | Record<string, number | null>;
}

export interface Workload {
  name: WorkloadName;
  kind: 'throughput' | 'latency' | 'startup';
  /** One line for the table. */
  describe(options: BenchOptions): string;
  run(context: BenchContext, run: number, warn: (message: string) => void): Promise<RunResult>;
}

/**
 * What the stopped services used: peak RSS, the highest per kind (the name before the first
 * '-': worker, api), and CPU seconds summed per kind; plus the CPU of the product's PostgreSQL
 * backends and of the bench itself during the timed phase (see UsageMeter).
 */
export function usageOf(stopped: Map<Service, StoppedService>, timed: TimedCpu): Pick<RunResult, 'peak_rss_mb' | 'rss_mb' | 'cpu_s'> {
  const rss: Record<string, number | null> = {};
  const cpu: Record<string, number | null> = {};
  for (const [service, result] of stopped) {
    const kind = service.name.split('-')[0]!;
    rss[kind] = result.peakRssMb === null ? (rss[kind] ?? null) : Math.max(rss[kind] ?? 0, result.peakRssMb);
    cpu[kind] = result.cpuSeconds === null || cpu[kind] === null ? null : (cpu[kind] ?? 0) + result.cpuSeconds;
  }
  cpu.postgres = timed.postgres;
  cpu.bench = timed.bench;
  const peaks = Object.values(rss).filter((value): value is number => value !== null);
  return { peak_rss_mb: peaks.length ? Math.max(...peaks) : null, rss_mb: rss, cpu_s: cpu };
}

/** Warns about a product process that did not stop cleanly on SIGTERM (a graceful stop exits 0). */
export function checkExits(stopped: Map<Service, StoppedService>, warn: (message: string) => void): void {
  for (const [service, result] of stopped) {
    if (result.code !== 0) warn(`${service.name} did not exit 0 after SIGTERM (code ${result.code}, signal ${result.signal})`);
  }
}
