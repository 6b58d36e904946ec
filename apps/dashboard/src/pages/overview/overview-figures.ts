/** The figures the overview derives from the API's answers, kept apart from the markup so they can be pinned by specs. */
import type { ThroughputMinute } from '@taskforge/client';

export interface ThroughputTotals {
  completed: number;
  failed: number;
  /** The most tasks finished (completed plus failed) in any one minute. */
  peak: number;
}

export function throughputTotals(minutes: readonly ThroughputMinute[]): ThroughputTotals {
  let completed = 0;
  let failed = 0;
  let peak = 0;
  for (const entry of minutes) {
    completed += entry.completed;
    failed += entry.failed;
    peak = Math.max(peak, entry.completed + entry.failed);
  }
  return { completed, failed, peak };
}

/** Whole seconds since the last heartbeat; a browser clock a little behind the server's never shows a negative age. */
export function heartbeatAge(lastSeenAt: string, now = Date.now()): string {
  return `${Math.max(0, Math.round((now - Date.parse(lastSeenAt)) / 1000))} s ago`;
}
