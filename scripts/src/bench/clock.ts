import type { Queryable } from '@taskforge/core';

/**
 * The bench's wall clock in ms since the epoch, sub-millisecond: the realtime clock read when
 * the process started plus the monotonic time since. PostgreSQL's clock_timestamp() reads the
 * same realtime clock when the server runs on this machine.
 */
export function wallClockMs(): number {
  return performance.timeOrigin + performance.now();
}

/**
 * How far PostgreSQL's clock_timestamp() is ahead of wallClockMs(), from the sample with the
 * shortest round trip (uncertainty: half that round trip). Near zero on one machine; reported
 * with every latency run so a skewed clock (or a drifted timeOrigin) would show.
 */
export async function databaseClockOffset(db: Queryable, samples = 15): Promise<{ offsetMs: number; uncertaintyMs: number }> {
  let best: { offsetMs: number; roundTripMs: number } | undefined;
  for (let i = 0; i < samples; i++) {
    const before = wallClockMs();
    const { rows } = await db.query<{ ms: string }>('select (extract(epoch from clock_timestamp()) * 1000)::text as ms');
    const after = wallClockMs();
    const sample = { offsetMs: Number(rows[0]!.ms) - (before + after) / 2, roundTripMs: after - before };
    if (!best || sample.roundTripMs < best.roundTripMs) best = sample;
  }
  return { offsetMs: best!.offsetMs, uncertaintyMs: best!.roundTripMs / 2 };
}
