import { DiscoveryService } from '@nestjs/core';
import type { TaskHandler } from './task-handler.interface.js';

/** Per-handler settings on `@Task`. */
export interface TaskOptions {
  /**
   * Per-attempt limit in milliseconds for tasks of this type that were submitted without a
   * `timeout_ms` of their own (a task's own value wins); replaces TASK_DEFAULT_TIMEOUT_MS for
   * this type. When it passes, the attempt fails with a TaskTimeoutError and the handler's
   * `context.signal` aborts with it.
   */
  timeoutMs?: number;
}

/** What `@Task` records on the class; TaskDiscovery reads it back. */
export interface TaskMetadata {
  name: string;
  options: TaskOptions;
}

/** Nest's discoverable decorator: it also lets DiscoveryService find the class by its key. */
export const TaskMetadataDecorator = DiscoveryService.createDecorator<TaskMetadata>();

/** A class whose instances handle tasks with a payload of type `Payload`. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any constructor: Nest injects whatever it declares
type TaskHandlerClass<Payload> = abstract new (...args: any[]) => TaskHandler<Payload>;

/**
 * Marks an injectable class as the handler of task type `name`. Listing the class in a
 * module's `providers` is all it needs: TaskDiscovery registers it when the app starts.
 * Settings are checked here, so a bad value fails when the class is loaded, naming it.
 */
export function Task(name: string, options: TaskOptions = {}) {
  return <Payload>(target: TaskHandlerClass<Payload>): void => {
    const { timeoutMs } = options;
    if (timeoutMs !== undefined && (!Number.isSafeInteger(timeoutMs) || timeoutMs < 1)) {
      throw new Error(`@Task('${name}') on ${target.name}: timeoutMs must be a positive integer of milliseconds, got ${String(timeoutMs)}`);
    }
    TaskMetadataDecorator({ name, options: { ...options } })(target);
  };
}
