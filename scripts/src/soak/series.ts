import type { SoakSample } from './soak-sample.js';
import type { SubmitterCounts } from './submitter.js';

/** One line of the series: what happened in the interval that ended at `t`, and the state at `t`. */
export interface SoakRow {
  /** When the sample was due, seconds since submission started (samples run on a fixed schedule, milliseconds late at most). */
  t: number;
  /** Tasks the API stored in the interval, per second. */
  submittedPerS: number;
  /** Tasks the schedule called for but the submitter could not send (it was behind). */
  skipped: number;
  /** Tasks in batches refused by the API or lost in transit. */
  errors: number;
  /** Tasks completed in the interval, per second. */
  completedPerS: number;
  /** Tasks failed for good in the interval. */
  failedForGood: number;
  dueBacklog: number;
  queued: number;
  running: number;
  /** Attempts started in the interval, and their pickup latency (started_at − scheduled_at). */
  started: number;
  pickupP50Ms: number | null;
  pickupP99Ms: number | null;
  tableBytes: number;
  indexBytes: number;
  liveTuples: number;
  deadTuples: number;
  /** Autovacuum and autoanalyze runs on tasks that ended in the interval. */
  autovacuums: number;
  autoanalyzes: number;
  /** Rows deleted from tasks in the interval: retention's sweeps, the only deleter in a soak. */
  deleted: number;
  /** Resident memory of the largest product process (API or worker), MB. */
  rssMb: number | null;
}

export interface RowInputs {
  previous: SoakSample;
  current: SoakSample;
  counts: SubmitterCounts;
  /** The sample's scheduled time, seconds since submission started. */
  t: number;
  /** Seconds since the previous sample was taken, by this process's clock. */
  intervalSeconds: number;
  rssMb: number | null;
}

/** Turns two consecutive samples (cumulative counters) and the submitter's counts into a row. */
export function toRow({ previous, current, counts, t, intervalSeconds, rssMb }: RowInputs): SoakRow {
  const databaseSeconds = Math.max(0.001, (current.at.getTime() - previous.at.getTime()) / 1_000);
  return {
    t,
    submittedPerS: counts.accepted / intervalSeconds,
    skipped: counts.skipped,
    errors: counts.errors,
    completedPerS: current.completed / databaseSeconds,
    failedForGood: current.failedPermanently,
    dueBacklog: current.dueBacklog,
    queued: current.queued,
    running: current.running,
    started: current.started,
    pickupP50Ms: current.pickupP50Ms,
    pickupP99Ms: current.pickupP99Ms,
    tableBytes: current.tableBytes,
    indexBytes: current.indexBytes,
    liveTuples: current.liveTuples,
    deadTuples: current.deadTuples,
    // Differences of cumulative counters; a statistics reset in between would make them negative.
    autovacuums: Math.max(0, current.autovacuumCount - previous.autovacuumCount),
    autoanalyzes: Math.max(0, current.autoanalyzeCount - previous.autoanalyzeCount),
    deleted: Math.max(0, current.deletedTuples - previous.deletedTuples),
    rssMb,
  };
}
