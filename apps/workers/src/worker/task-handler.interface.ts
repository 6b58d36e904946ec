import type { TaskContext } from '@taskforge/core';

export type { TaskContext } from '@taskforge/core';

/**
 * A task type's logic. Resolve to succeed (the value is the task's result); throw or reject
 * to fail the attempt, which is retried with backoff while retries remain. Throw a
 * `PermanentTaskError` to fail for good. The optional third argument carries the attempt
 * number and an AbortSignal that fires when the worker gives the task up.
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds handlers of every payload type; each class names its own
export interface TaskHandler<Payload = any> {
  execute(payload: Payload, taskId: string, context: TaskContext): Promise<unknown>;
}
