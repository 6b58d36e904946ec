import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { PermanentTaskError } from '../errors.js';
import { retryDelayMs, type BackoffOptions } from '../retry/backoff.js';
import { claimTasks } from '../tasks/claim-tasks.js';
import { completeTasks } from '../tasks/complete-tasks.js';
import { failTask } from '../tasks/fail-task.js';
import type { Task } from '../tasks/task.js';
import { coerceError } from './coerce-error.js';
import type { TaskFunctionLookup } from './task-function.js';
import { WakeSignal } from './wake-signal.js';

export interface WorkerOptions {
  pool: Pool;
  workerId: string;
  handlers: TaskFunctionLookup;
  concurrency: number;
  pollIntervalMs: number;
  retry: Pick<BackoffOptions, 'baseDelayMs' | 'maxDelayMs'>;
  logger: Logger;
}

export interface WorkerCounters {
  /** Attempts finished since start, successful or not. */
  processed: number;
  completed: number;
  /** Failed attempts since start (retried or final). */
  failed: number;
}

interface RunningTask {
  task: Task;
  controller: AbortController;
  done: Promise<void>;
}

/** Longest pause between claims while the database keeps failing. */
const MAX_ERROR_BACKOFF_MS = 30_000;

/**
 * The claim → run → record loop of one worker process. Framework-free: the NestJS worker
 * app wraps it, and a plain script can use it directly.
 */
export class Worker {
  private readonly running = new Map<string, RunningTask>();
  private readonly wakeSignal = new WakeSignal();
  private readonly log: Logger;
  private stopping = false;
  private loop: Promise<void> | undefined;
  /** The last claim filled every free slot, so more tasks are probably due right now. */
  private backlogLikely = false;
  readonly counters: WorkerCounters = { processed: 0, completed: 0, failed: 0 };

  constructor(private readonly options: WorkerOptions) {
    this.log = options.logger.child({ workerId: options.workerId });
  }

  get runningCount(): number {
    return this.running.size;
  }

  start(): void {
    if (this.loop) return;
    this.log.info(
      { taskNames: this.options.handlers.names(), concurrency: this.options.concurrency },
      'worker started',
    );
    this.loop = this.claimLoop();
  }

  /**
   * Stops claiming, waits up to `timeoutMs` for running tasks, then aborts the rest through
   * their AbortSignal and waits for their handlers to settle.
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    this.wakeSignal.wake();
    await this.loop;
    const allDone = Promise.allSettled([...this.running.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    if ((await Promise.race([allDone, timedOut])) === 'timeout') {
      this.log.warn({ running: this.running.size }, 'shutdown timeout reached, aborting running tasks');
      for (const running of this.running.values()) running.controller.abort(new Error('worker shutting down'));
      await allDone;
    }
    clearTimeout(timer);
    this.log.info(this.counters, 'worker stopped');
  }

  private async claimLoop(): Promise<void> {
    let consecutiveErrors = 0;
    while (!this.stopping) {
      const free = this.options.concurrency - this.running.size;
      if (free > 0) {
        try {
          const tasks = await claimTasks(this.options.pool, {
            workerId: this.options.workerId,
            taskNames: this.options.handlers.names(),
            limit: free,
          });
          consecutiveErrors = 0;
          this.backlogLikely = tasks.length === free;
          for (const task of tasks) this.startTask(task);
        } catch (error) {
          consecutiveErrors += 1;
          const pause = Math.min(MAX_ERROR_BACKOFF_MS, this.options.pollIntervalMs * 2 ** consecutiveErrors);
          this.log.warn({ err: error, retryInMs: pause }, 'claiming tasks failed');
          await this.wakeSignal.sleep(pause);
          continue;
        }
      }
      // With a backlog and a free slot, claim again at once; otherwise sleep until a slot
      // frees up (which wakes us only while a backlog is likely) or the poll interval ends.
      if (this.backlogLikely && this.running.size < this.options.concurrency) continue;
      if (!this.stopping) await this.wakeSignal.sleep(this.options.pollIntervalMs);
    }
  }

  private startTask(task: Task): void {
    const controller = new AbortController();
    const done = this.runTask(task, controller.signal)
      // runTask records every outcome itself; this only guards the process against a bug there.
      .catch((error: unknown) => this.log.error({ err: error, taskId: task.id }, 'task runner failed unexpectedly'))
      .finally(() => {
      this.running.delete(task.id);
      if (this.backlogLikely) this.wakeSignal.wake();
    });
    this.running.set(task.id, { task, controller, done });
  }

  /** Never rejects: every outcome, including a failure to record it, ends in a log line. */
  private async runTask(task: Task, signal: AbortSignal): Promise<void> {
    const log = this.log.child({ taskId: task.id, taskName: task.task_name, attempt: task.attempts });
    log.debug('task started');
    const handler = this.options.handlers.get(task.task_name);
    let failure: Error | undefined;
    try {
      if (!handler) throw new Error(`no handler registered for task_name "${task.task_name}"`);
      await handler(task.payload, task.id, {
        taskName: task.task_name,
        attempt: task.attempts,
        maxRetries: task.max_retries,
        signal,
      });
    } catch (thrown) {
      failure = coerceError(thrown);
    }
    this.counters.processed += 1;
    try {
      if (failure) await this.recordFailure(task, failure, log);
      else await this.recordSuccess(task, log);
    } catch (error) {
      log.error({ err: error }, 'could not record the outcome of a task');
    }
  }

  private async recordSuccess(task: Task, log: Logger): Promise<void> {
    const completed = await completeTasks(this.options.pool, {
      workerId: this.options.workerId,
      tasks: [{ id: task.id, attempt: task.attempts }],
    });
    if (completed.length === 0) {
      log.warn('completion refused: this worker no longer owns the task');
      return;
    }
    this.counters.completed += 1;
    log.debug('task completed');
  }

  private async recordFailure(task: Task, error: Error, log: Logger): Promise<void> {
    this.counters.failed += 1;
    const failed = await failTask(this.options.pool, {
      id: task.id,
      attempt: task.attempts,
      workerId: this.options.workerId,
      error: error.message || error.name,
      retryDelayMs: retryDelayMs(task.attempts, this.options.retry),
      retryable: !(error instanceof PermanentTaskError),
    });
    if (!failed) {
      log.warn({ err: error }, 'failure not recorded: this worker no longer owns the task');
    } else if (failed.next_retry_at) {
      log.warn({ err: error, nextRetryAt: failed.next_retry_at }, 'task attempt failed, will retry');
    } else {
      // The log line operators search for: id, name and attempt come from the child logger.
      log.error({ attempts: failed.attempts, lastError: error.message }, 'task failed permanently');
    }
  }
}
