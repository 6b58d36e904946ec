import { setTimeout as sleep } from 'node:timers/promises';
import { isConnectionError } from '../db/is-connection-error.js';

/**
 * Runs a write, retrying while the database is unreachable, until `deadline` (a
 * performance.now() value: the moment the lease may have lapsed, after which the write
 * could no longer apply anyway). Also retried: a write PostgreSQL rolled back as a deadlock
 * victim. Outcome batches and the heartbeat both update many of one worker's rows, in no
 * fixed order, so they can deadlock; the rolled-back write changed nothing and is safe to run
 * again. Other errors are thrown at once.
 */
export async function writeWithRetry<T>(write: () => Promise<T>, deadline: number): Promise<T> {
  for (let pause = 100; ; pause = Math.min(pause * 2, 2_000)) {
    try {
      return await write();
    } catch (error) {
      if (!(isConnectionError(error) || isDeadlockVictim(error)) || performance.now() + pause >= deadline) throw error;
      await sleep(pause);
    }
  }
}

function isDeadlockVictim(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '40P01';
}
