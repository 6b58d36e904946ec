import type { ClaimedTask } from '../tasks/claim-tasks.js';

export type TaskOutcome = { kind: 'success'; result: unknown } | { kind: 'failure'; error: Error };

/** The attempt ran past its task's `timeout_ms`. */
export class TaskTimeoutError extends Error {
  override name = 'TaskTimeoutError';
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
  }
}

/** The worker no longer holds the task (lease lapsed or taken away); another may run it now. */
export class LeaseLostError extends Error {
  override name = 'LeaseLostError';
}

/**
 * The task was cancelled while it ran (DELETE /tasks/:id?force=true, or forceCancelTask):
 * the reason its handler's AbortSignal aborts with. The task is already final; nothing more
 * is written for this attempt.
 */
export class TaskCancelledError extends Error {
  override name = 'TaskCancelledError';
  constructor(readonly taskId: string) {
    super(`task ${taskId} was cancelled while running`);
  }
}

/**
 * One claimed attempt, from claim until its outcome is written or it is given up. Its first
 * outcome wins: the handler settling, the timeout, an error escaping the handler, a lost
 * lease, a cancel or shutdown; anything after is ignored.
 */
export class TaskRun {
  readonly controller = new AbortController();
  /** performance.now() after which the lease may have lapsed, unless a heartbeat renews it. */
  leaseDeadline: number;
  /** performance.now() when the handler started (0 while buffered). */
  startedAt = 0;
  /** How long the handler ran, once it settled. */
  handlerMs = 0;
  /** Set once the outcome is decided; from then on nothing else may decide it. */
  settled = false;
  private timeoutTimer: NodeJS.Timeout | undefined;

  constructor(
    readonly task: ClaimedTask,
    claimSentAt: number,
    leaseMs: number,
  ) {
    this.leaseDeadline = claimSentAt + leaseMs;
  }

  get attempt(): { id: string; attempt: number } {
    return { id: this.task.id, attempt: this.task.attempts };
  }

  startTimeout(timeoutMs: number, onTimeout: (error: TaskTimeoutError) => void): void {
    this.timeoutTimer = setTimeout(() => onTimeout(new TaskTimeoutError(timeoutMs)), timeoutMs);
  }

  /** Claims the right to decide the outcome; false when something else already did. */
  settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    clearTimeout(this.timeoutTimer);
    return true;
  }

  abort(reason: Error): void {
    if (!this.controller.signal.aborted) this.controller.abort(reason);
  }
}
