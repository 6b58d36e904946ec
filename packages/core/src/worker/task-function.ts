/** What a handler gets besides the payload and the task id. */
export interface TaskContext {
  taskName: string;
  /** 1 on the first run, 2 on the first retry, and so on. */
  attempt: number;
  /** The task's retry limit in force (its own max_retries, else the handler's maxRetries, else the default). */
  maxRetries: number;
  /** Fires when the worker gives the task up (shutdown timeout); handlers should stop promptly. */
  signal: AbortSignal;
}

/** Runs one task; resolving means success, throwing or rejecting means a failed attempt. */
export type TaskFunction = (payload: unknown, taskId: string, context: TaskContext) => Promise<unknown>;

/** Where a worker looks up the function for a task name. */
export interface TaskFunctionLookup {
  /** The names this worker serves; it claims no others. */
  names(): readonly string[];
  get(taskName: string): TaskFunction | undefined;
  /**
   * The per-attempt limit for this task type when the task has no `timeout_ms` of its own;
   * `undefined` falls back to the worker's `defaultTimeoutMs`. Optional: lookups without it
   * leave every task type on the worker's default.
   */
  timeoutMsFor?(taskName: string): number | undefined;
  /**
   * Most tasks of this type running at once in this worker (see TaskTypeOptions.concurrency);
   * `undefined`: no cap of its own, only the worker's concurrency. Optional, like the next one.
   */
  concurrencyFor?(taskName: string): number | undefined;
  /**
   * Retries for tasks of this type submitted without max_retries (see
   * TaskTypeOptions.maxRetries); `undefined` leaves them on the submitter's default.
   */
  maxRetriesFor?(taskName: string): number | undefined;
}
