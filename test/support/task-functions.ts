import type { TaskFunction, TaskFunctionLookup, TaskTypeOptions } from '../../packages/core/src/index.js';

/** A handler lookup over a plain map of task name → function, with optional per-type settings. */
export function handlers(map: Record<string, TaskFunction>, options: Record<string, TaskTypeOptions> = {}): TaskFunctionLookup {
  return {
    names: () => Object.keys(map),
    get: (name) => map[name],
    timeoutMsFor: (name) => options[name]?.timeoutMs,
    concurrencyFor: (name) => options[name]?.concurrency,
    maxRetriesFor: (name) => options[name]?.maxRetries,
  };
}

/** A promise with its resolve exposed, to hold a handler until the test lets it go. */
export function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, opened };
}

/** A handler body that waits for its signal and rejects with the signal's reason (a well-behaved handler). */
export function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason), { once: true });
  });
}
