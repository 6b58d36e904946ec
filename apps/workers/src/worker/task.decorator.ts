import { DiscoveryService } from '@nestjs/core';
import { checkTaskTypeOptions, type TaskTypeOptions } from '@taskforge/core';
import type { TaskHandler } from './task-handler.interface.js';

/**
 * Per-handler settings on `@Task` (and on `TaskRegistryService.register`), all optional:
 *
 * - `timeoutMs`: per-attempt limit for tasks of this type without a `timeout_ms` of their own;
 *   replaces TASK_DEFAULT_TIMEOUT_MS for this type. Past it the attempt fails with a
 *   TaskTimeoutError and `context.signal` aborts with it.
 * - `concurrency`: most tasks of this type running at once in one worker process, on top of
 *   WORKER_MAX_CONCURRENT_TASKS. The worker claims no more of the type than it has free slots for.
 * - `maxRetries`: retries for tasks of this type submitted without `max_retries` (an explicit
 *   one wins; without either, DEFAULT_MAX_RETRIES), applied when the task's first attempt starts.
 */
export type TaskOptions = TaskTypeOptions;

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
    checkTaskTypeOptions(`@Task('${name}') on ${target.name}`, options);
    TaskMetadataDecorator({ name, options: { ...options } })(target);
  };
}
