import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { PermanentTaskError } from '../errors.js';
import { retryDelayMs, type BackoffOptions } from '../retry/backoff.js';
import { claimTasks, DEFAULT_LEASE_MS } from '../tasks/claim-tasks.js';
import { completeTasks } from '../tasks/complete-tasks.js';
import { failTask } from '../tasks/fail-task.js';
import type { Task } from '../tasks/task.js';
import { coerceError } from './coerce-error.js';
import { LeaseKeeper } from './lease-keeper.js';
import { writeWithRetry } from './record-with-retry.js';
import type { TaskFunctionLookup } from './task-function.js';
import { LeaseLostError, TaskRun, type TaskOutcome } from './task-run.js';
import { runInTaskScope } from './task-scope.js';
import { WakeSignal } from './wake-signal.js';

export interface WorkerOptions {
  pool: Pool;
  workerId: string;
  handlers: TaskFunctionLookup;
  concurrency: number;
  pollIntervalMs: number;
  retry: Pick<BackoffOptions, 'baseDelayMs' | 'maxDelayMs'>;
  logger: Logger;
  /** How long a claim holds without a heartbeat (default 30 s). */
  leaseMs?: number;
  /** How often leases are renewed (default 5 s). */
  heartbeatIntervalMs?: number;
  /** How often this worker looks for other workers' expired leases (default 1 s). */
  rescueIntervalMs?: number;
  /** Limit for tasks without their own `timeout_ms`; none when omitted. */
  defaultTimeoutMs?: number;
  /** Largest handler result kept, as JSON bytes (default 64 KiB); a bigger one fails the attempt. */
  resultMaxBytes?: number;
}

export interface WorkerCounters {
  /** Attempts whose outcome was written since start, successful or not. */
  processed: number;
  completed: number;
  /** Failed attempts since start (retried or final). */
  failed: number;
  /** Tasks this worker gave up because its lease lapsed or was taken. */
  leasesLost: number;
  /** Other workers' tasks this worker returned to the queue after their lease expired. */
  rescued: number;
}

function isDataException(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('22');
}

/** Longest pause between claims while the database keeps failing. */
const MAX_ERROR_BACKOFF_MS = 30_000;

/**
 * The claim → run → record loop of one worker process. Framework-free: the NestJS worker
 * app wraps it, and a plain script can use it directly.
 *
 * Invariant: a claimed task always ends in exactly one of completed, failed (retried or
 * final), released (shutdown) or abandoned (lease lost, so another worker owns it now).
 */
export class Worker {
  private readonly running = new Map<string, TaskRun>();
  private readonly wakeSignal = new WakeSignal();
  private readonly log: Logger;
  private readonly leases: LeaseKeeper;
  private readonly leaseMs: number;
  private stopping = false;
  private loop: Promise<void> | undefined;
  /** Outcome writes in flight, awaited on stop. */
  private readonly writes = new Set<Promise<void>>();
  /** The last claim filled every free slot, so more tasks are probably due right now. */
  private backlogLikely = false;
  readonly counters: WorkerCounters = { processed: 0, completed: 0, failed: 0, leasesLost: 0, rescued: 0 };

  constructor(private readonly options: WorkerOptions) {
    this.log = options.logger.child({ workerId: options.workerId });
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.leases = new LeaseKeeper({
      pool: options.pool,
      workerId: options.workerId,
      leaseMs: this.leaseMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5_000,
      rescueIntervalMs: options.rescueIntervalMs ?? 1_000,
      logger: this.log,
      runs: () => this.running.values(),
      onLeaseLost: (run, reason) => this.abandon(run, reason),
      onRescued: (count) => (this.counters.rescued += count),
    });
  }

  get runningCount(): number {
    return this.running.size;
  }

  start(): void {
    if (this.loop) return;
    this.log.info(
      { taskNames: this.options.handlers.names(), concurrency: this.options.concurrency, leaseMs: this.leaseMs },
      'worker started',
    );
    this.leases.start();
    this.loop = this.claimLoop();
  }

  /**
   * Stops claiming and waits up to `timeoutMs` for running tasks. The rest are aborted through
   * their AbortSignal and released: due again at once, their attempt given back.
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    this.wakeSignal.wake();
    await this.loop;
    if (!(await this.allSettledWithin(timeoutMs))) {
      const unfinished = [...this.running.values()].filter((run) => run.settle());
      this.log.warn({ count: unfinished.length }, 'shutdown timeout reached: aborting and releasing running tasks');
      for (const run of unfinished) run.abort(new Error('worker shutting down'));
      await this.leases.release(unfinished);
      for (const run of unfinished) this.running.delete(run.task.id);
    }
    await Promise.allSettled([...this.writes]);
    await this.leases.stop();
    this.log.info(this.counters, 'worker stopped');
  }

  private async allSettledWithin(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.running.size > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - performance.now()))));
    }
    return this.running.size === 0;
  }

  private async claimLoop(): Promise<void> {
    let consecutiveErrors = 0;
    while (!this.stopping) {
      const free = this.options.concurrency - this.running.size;
      if (free > 0) {
        try {
          const sentAt = performance.now();
          const tasks = await claimTasks(this.options.pool, {
            workerId: this.options.workerId,
            taskNames: this.options.handlers.names(),
            limit: free,
            leaseMs: this.leaseMs,
          });
          if (consecutiveErrors > 0) this.log.info('database reachable again, claiming resumed');
          consecutiveErrors = 0;
          this.backlogLikely = tasks.length === free;
          for (const task of tasks) this.startTask(task, sentAt);
        } catch (error) {
          consecutiveErrors += 1;
          const pause = Math.min(MAX_ERROR_BACKOFF_MS, this.options.pollIntervalMs * 2 ** Math.min(consecutiveErrors, 20));
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

  private startTask(task: Task, claimSentAt: number): void {
    const run = new TaskRun(task, claimSentAt, this.leaseMs);
    this.running.set(task.id, run);
    const timeoutMs = task.timeout_ms ?? this.options.defaultTimeoutMs;
    if (timeoutMs) {
      run.startTimeout(timeoutMs, (error) => {
        run.abort(error);
        this.finish(run, { kind: 'failure', error });
      });
    }
    const fail = (error: Error) => this.finish(run, { kind: 'failure', error });
    runInTaskScope({ taskId: task.id, fail }, () => this.invokeHandler(run));
  }

  private async invokeHandler(run: TaskRun): Promise<void> {
    const { task } = run;
    this.log.debug({ taskId: task.id, taskName: task.task_name, attempt: task.attempts }, 'task started');
    try {
      const handler = this.options.handlers.get(task.task_name);
      if (!handler) throw new PermanentTaskError(`no handler registered for task_name "${task.task_name}"`);
      const result = await handler(task.payload, task.id, {
        taskName: task.task_name,
        attempt: task.attempts,
        maxRetries: task.max_retries,
        signal: run.controller.signal,
      });
      this.finish(run, { kind: 'success', result });
    } catch (thrown) {
      this.finish(run, { kind: 'failure', error: coerceError(thrown) });
    }
  }

  /** Decides the run's outcome (if nothing did before) and writes it; the slot frees once written. */
  private finish(run: TaskRun, outcome: TaskOutcome): void {
    if (!run.settle()) return;
    const write = this.writeOutcome(run, outcome)
      .catch((error: unknown) => {
        // The lease will lapse and a rescue will retry the task: late, but nothing is lost.
        this.log.error({ err: error, taskId: run.task.id }, 'could not record the outcome of a task');
      })
      .finally(() => {
        this.writes.delete(write);
        if (this.running.get(run.task.id) === run) this.running.delete(run.task.id);
        if (this.backlogLikely) this.wakeSignal.wake();
      });
    this.writes.add(write);
  }

  private async writeOutcome(run: TaskRun, outcome: TaskOutcome): Promise<void> {
    if (outcome.kind === 'success') {
      const resultJson = this.serialiseResult(outcome.result);
      if (resultJson instanceof Error) return this.writeFailure(run, resultJson);
      return this.writeSuccess(run, resultJson);
    }
    return this.writeFailure(run, outcome.error);
  }

  /** The result as JSON text, or the reason it cannot be stored (which fails the attempt). */
  private serialiseResult(result: unknown): string | null | Error {
    if (result === undefined) return null;
    let json: string | undefined;
    try {
      json = JSON.stringify(result);
    } catch (error) {
      return new PermanentTaskError(`the handler's result cannot be stored as JSON: ${coerceError(error).message}`);
    }
    if (json === undefined || json === 'null') return null;
    const limit = this.options.resultMaxBytes ?? 65_536;
    const bytes = Buffer.byteLength(json);
    if (bytes > limit) {
      return new PermanentTaskError(`the handler's result is ${bytes} bytes of JSON, over the ${limit}-byte limit`);
    }
    return json;
  }

  private async writeSuccess(run: TaskRun, resultJson: string | null): Promise<void> {
    const log = this.taskLog(run);
    let completed: string[];
    try {
      completed = await writeWithRetry(
        () => completeTasks(this.options.pool, { workerId: this.options.workerId, tasks: [{ ...run.attempt, resultJson }] }),
        run.leaseDeadline,
      );
    } catch (error) {
      // SQLSTATE class 22: valid JSON that jsonb refuses (U+0000, lone surrogates). Retrying cannot help.
      if (!isDataException(error)) throw error;
      return this.writeFailure(run, new PermanentTaskError(`the handler's result cannot be stored: ${(error as Error).message}`));
    }
    this.counters.processed += 1;
    if (completed.length === 0) {
      log.warn('completion refused: this worker no longer holds the task (its lease was lost)');
      return;
    }
    this.counters.completed += 1;
    log.debug('task completed');
  }

  private async writeFailure(run: TaskRun, error: Error): Promise<void> {
    const { task } = run;
    const log = this.taskLog(run);
    const failed = await writeWithRetry(
      () =>
        failTask(this.options.pool, {
          ...run.attempt,
          workerId: this.options.workerId,
          error: error.message || error.name,
          retryDelayMs: retryDelayMs(task.attempts, this.options.retry),
          retryable: !(error instanceof PermanentTaskError),
        }),
      run.leaseDeadline,
    );
    this.counters.processed += 1;
    if (failed) this.counters.failed += 1;
    if (!failed) {
      log.warn({ err: error }, 'failure not recorded: this worker no longer holds the task (its lease was lost)');
    } else if (failed.next_retry_at) {
      log.warn({ err: error, nextRetryAt: failed.next_retry_at }, 'task attempt failed, will retry');
    } else {
      // The log line operators search for: id, name and attempt come from the child logger.
      log.error({ attempts: failed.attempts, lastError: error.message }, 'task failed permanently');
    }
  }

  /** The lease is gone: stop the handler and forget the task without writing anything. */
  private abandon(run: TaskRun, reason: string): void {
    if (!run.settle()) return;
    this.counters.leasesLost += 1;
    run.abort(new LeaseLostError(reason));
    this.running.delete(run.task.id);
    this.taskLog(run).warn({ reason }, 'lost the lease on a task: stopped it, another worker may run it');
    if (this.backlogLikely) this.wakeSignal.wake();
  }

  private taskLog(run: TaskRun): Logger {
    return this.log.child({ taskId: run.task.id, taskName: run.task.task_name, attempt: run.task.attempts });
  }
}
