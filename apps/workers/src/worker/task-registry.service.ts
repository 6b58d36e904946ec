import { Injectable } from '@nestjs/common';
import type { TaskFunction, TaskFunctionLookup } from '@taskforge/core';
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
  /** Per-type attempt limits from `@Task({ timeoutMs })`. */
  private readonly timeouts = new Map<string, number>();

  /** Throws when the name is taken, naming both handler classes, so the process fails at start-up. */
  register(taskName: string, handler: TaskHandler, options: TaskOptions = {}): void {
    if (typeof taskName !== 'string' || taskName.trim() === '' || taskName.length > 255) {
      throw new Error(`${handler.constructor.name} has an invalid task name: ${JSON.stringify(taskName)}`);
    }
    const existing = this.handlers.get(taskName);
    if (existing) {
      throw new Error(
        `task name "${taskName}" is registered twice: by ${existing.constructor.name} and by ${handler.constructor.name}`,
      );
    }
    this.handlers.set(taskName, handler);
    this.functions.set(taskName, (payload, taskId, context) => handler.execute(payload, taskId, context));
    if (options.timeoutMs !== undefined) this.timeouts.set(taskName, options.timeoutMs);
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
}
