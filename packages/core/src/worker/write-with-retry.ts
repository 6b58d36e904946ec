import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionError } from '../db/is-connection-error.js';

/**
 * PostgreSQL's deadlock_detected: it cancelled this statement to break a cycle of row locks,
 * and rolled it back whole, so running it again is safe. A worker's outcome writes and its
 * heartbeat each lock several of its rows, at the same time on different connections, in the
 * order their plans visit them (the lease index's, which heartbeats keep changing), so such a
 * cycle does happen: seen in test/scale-out, where 2 of 3,000 completions were cancelled and
 * their tasks, left to lapse, ran twice. A cancelled heartbeat just tries again on its next tick.
 */
const DEADLOCK_DETECTED = '40P01';

/**
 * Runs a write, retrying while the database is unreachable or after it broke a deadlock by
 * cancelling the write, until `deadline` (a performance.now() value: the moment the lease may
 * have lapsed, after which the write could no longer apply anyway). Other errors are thrown at once.
 */
export async function writeWithRetry<T>(write: () => Promise<T>, deadline: number): Promise<T> {
  for (let pause = 100; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      return await write();
    } catch (error) {
      if (!isWorthRetrying(error) || performance.now() + pause >= deadline) throw error;
      await sleep(pause);
    }
  }
}

function isWorthRetrying(error: unknown): boolean {
  return isConnectionError(error) || (error as { code?: unknown } | null)?.code === DEADLOCK_DETECTED;
}
