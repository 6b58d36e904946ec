import { Injectable } from '@nestjs/common';
import { checkTaskTypeOptions, type TaskFunction, type TaskFunctionLookup } from '@taskforge/core';
import type { TaskHandler } from './task-handler.interface.js';
import type { TaskOptions } from './task.decorator.js';

/**
 * Maps task names to handlers. Handlers register themselves in `onModuleInit`, or carry
 * `@Task` and TaskDiscovery registers them then; the worker starts claiming only after every
 * module is initialised, so it sees all of them.
 */
@Injectable()
export class TaskRegistryService implements TaskFunctionLookup {
  private readonly handlers = new Map<string, TaskHandler>();
  /** One bound function per name, made once: the worker looks one up for every task it runs. */
  private readonly functions = new Map<string, TaskFunction>();
  /** Per-type settings from `@Task(name, options)` or `register(name, handler, options)`. */
  private readonly timeouts = new Map<string, number>();
  private readonly concurrencies = new Map<string, number>();
  private readonly maxRetries = new Map<string, number>();

  /**
   * Adds the handler of `taskName`, with optional per-type settings (see TaskOptions). Throws
   * when the name is invalid or taken (naming both handler classes) or an option is invalid,
   * so the process fails at start-up.
   */
  register(taskName: string, handler: TaskHandler, options: TaskOptions = {}): void {
    if (typeof taskName !== 'string' || taskName.trim() === '' || taskName.length > 255) {
      throw new Error(`${handler.constructor.name} has an invalid task name: ${JSON.stringify(taskName)}`);
    }
    checkTaskTypeOptions(`${handler.constructor.name}, registering task "${taskName}"`, options);
    const existing = this.handlers.get(taskName);
    if (existing) {
      throw new Error(`task name "${taskName}" is registered twice: by ${existing.constructor.name} and by ${handler.constructor.name}`);
    }
    this.handlers.set(taskName, handler);
    this.functions.set(taskName, (payload, taskId, context) => handler.execute(payload, taskId, context));
    if (options.timeoutMs !== undefined) this.timeouts.set(taskName, options.timeoutMs);
    if (options.concurrency !== undefined) this.concurrencies.set(taskName, options.concurrency);
    if (options.maxRetries !== undefined) this.maxRetries.set(taskName, options.maxRetries);
  }

  names(): string[] {
    return [...this.handlers.keys()];
  }

  get(taskName: string): TaskFunction | undefined {
    return this.functions.get(taskName);
  }

  /** The worker asks this for tasks without their own `timeout_ms`. */
  timeoutMsFor(taskName: string): number | undefined {
    return this.timeouts.get(taskName);
  }

  /** The worker claims at most this many tasks of the type at once (none: only its own concurrency). */
  concurrencyFor(taskName: string): number | undefined {
    return this.concurrencies.get(taskName);
  }

  /** Applied by the claim to tasks of the type submitted without max_retries. */
  maxRetriesFor(taskName: string): number | undefined {
    return this.maxRetries.get(taskName);
  }
}
