import type { TaskFunction, TaskFunctionLookup } from '../../packages/core/src/index.js';

/** A handler lookup over a plain map of task name → function. */
export function handlers(map: Record<string, TaskFunction>): TaskFunctionLookup {
  return { names: () => Object.keys(map), get: (name) => map[name] };
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
