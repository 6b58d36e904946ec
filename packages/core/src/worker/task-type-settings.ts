import { PerNameCaps } from './per-name-caps.js';
import type { TaskFunctionLookup } from './task-function.js';
import { checkTaskTypeOptions } from './task-type-options.js';

/** What a worker reads from its handlers' settings when it starts. */
export interface TaskTypeSettings {
  caps: PerNameCaps;
  /** [name, maxRetries] for every type whose handler sets maxRetries. */
  handlerMaxRetries: Array<[string, number]>;
}

/**
 * Reads and checks the per-type settings of every name the lookup serves: a bad value (from a
 * lookup written without the worker app's checks) stops the worker at start-up, naming the type.
 */
export function readTaskTypeSettings(handlers: TaskFunctionLookup): TaskTypeSettings {
  const caps = new Map<string, number>();
  const handlerMaxRetries: Array<[string, number]> = [];
  for (const name of handlers.names()) {
    const options = {
      timeoutMs: handlers.timeoutMsFor?.(name),
      concurrency: handlers.concurrencyFor?.(name),
      maxRetries: handlers.maxRetriesFor?.(name),
    };
    checkTaskTypeOptions(`task type "${name}"`, options);
    if (options.concurrency !== undefined) caps.set(name, options.concurrency);
    if (options.maxRetries !== undefined) handlerMaxRetries.push([name, options.maxRetries]);
  }
  return { caps: new PerNameCaps(caps), handlerMaxRetries };
}
