import { NetworkError, ServiceUnavailableError, WaitTimeoutError } from './errors.js';
import { isFinal } from '@taskforge/model';
import type { Task } from './types.js';

export interface RequestOptions {
  /** Aborts the request; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

export interface WaitOptions extends RequestOptions {
  /** Give up after this long with a WaitTimeoutError (default 60 s; Infinity waits for ever). */
  timeoutMs?: number;
  /** Time between two reads of the task (default 500 ms). */
  intervalMs?: number;
}

export const DEFAULT_WAIT_TIMEOUT_MS = 60_000;
export const DEFAULT_WAIT_INTERVAL_MS = 500;

/**
 * Final: completed, cancelled, or failed with no retry ahead (next_retry_at null). A failed
 * task with next_retry_at set will be claimed again, so it is not final yet. The model's isFinal,
 * under the name this client has always had for it.
 */
export const isFinalTask: (task: Pick<Task, 'status' | 'next_retry_at'>) => boolean = isFinal;

/** Resolves after `ms`, or rejects with the signal's reason once it aborts. */
function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** Errors that say nothing about the task: a moment without the database or the network, worth another read. */
const isTransient = (error: unknown) => error instanceof ServiceUnavailableError || error instanceof NetworkError;

/**
 * Reads the task every `intervalMs` until it is final. The deadline also aborts a read in
 * flight, so a server that stops answering cannot stretch the wait past `timeoutMs`.
 */
export async function waitForFinal(read: (signal: AbortSignal) => Promise<Task>, id: string, options: WaitOptions = {}): Promise<Task> {
  const { timeoutMs = DEFAULT_WAIT_TIMEOUT_MS, intervalMs = DEFAULT_WAIT_INTERVAL_MS, signal } = options;
  signal?.throwIfAborted();
  const timedOut = Symbol('timed out');
  const controller = new AbortController();
  const forward = () => controller.abort(signal?.reason);
  signal?.addEventListener('abort', forward, { once: true });
  const timer = Number.isFinite(timeoutMs) ? setTimeout(() => controller.abort(timedOut), Math.max(0, timeoutMs)) : undefined;
  let lastSeen: Task | undefined;
  let lastError: unknown;
  try {
    for (;;) {
      try {
        lastSeen = await read(controller.signal);
        if (isFinalTask(lastSeen)) return lastSeen;
      } catch (error) {
        if (controller.signal.aborted || !isTransient(error)) throw error;
        lastError = error;
      }
      await sleep(intervalMs, controller.signal);
    }
  } catch (error) {
    if (controller.signal.reason !== timedOut) throw error;
    throw new WaitTimeoutError(id, timeoutMs, lastSeen, lastError);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', forward);
  }
}
