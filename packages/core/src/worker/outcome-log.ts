import { isAwaitingRetry } from '@taskforge/model';
import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { cancelledTaskIds } from '../tasks/cancelled-task-ids.js';
import type { FailedTask } from '../tasks/fail-task.js';
import type { TaskRun } from './task-run.js';
import type { WorkerEvents } from './worker-events.js';
import type { WorkerCounters } from './worker-options.js';

export interface OutcomeLogOptions {
  /** Asked, on a rare path only, whether a refused write was a force cancel (see refused). */
  pool: Pool;
  /** The worker's logger (its workerId bound). */
  logger: Logger;
  /** The worker's counters, counted into here. */
  counters: WorkerCounters;
  events: WorkerEvents | undefined;
}

/**
 * What a worker tells about each task's end, once it is known: the log line operators search
 * for, the counter (Worker.counters) and the metrics event, together, so the three never
 * disagree. The Worker decides and writes outcomes (OutcomeWriter); this only reports them.
 */
export class OutcomeLog {
  constructor(private readonly options: OutcomeLogOptions) {}

  completed(run: TaskRun): void {
    this.options.counters.completed += 1;
    this.options.events?.completed(run.task.task_name, run.handlerMs / 1_000);
    // Guarded: building a child logger per task is measurable on the hot path.
    if (this.options.logger.isLevelEnabled('debug')) this.taskLog(run).debug('task completed');
  }

  completionRefused(run: TaskRun): Promise<void> {
    return this.refused(run, 'completion refused: this worker no longer holds the task (its lease was lost)');
  }

  /** A failed attempt was written (`failed`), or its write refused (null). */
  async failed(run: TaskRun, error: Error, failed: FailedTask | null): Promise<void> {
    if (!failed) {
      return this.refused(run, 'failure not recorded: this worker no longer holds the task (its lease was lost)', error);
    }
    const log = this.taskLog(run);
    const willRetry = isAwaitingRetry({ status: 'failed', next_retry_at: failed.next_retry_at });
    this.options.counters.failed += 1;
    this.options.events?.failed(run.task.task_name, run.handlerMs / 1_000, willRetry);
    if (willRetry) {
      log.warn({ err: error, nextRetryAt: failed.next_retry_at }, 'task attempt failed, will retry');
    } else {
      // The log line operators search for: id, name and attempt come from the child logger.
      log.error({ attempts: failed.attempts, lastError: error.message || error.name }, 'task failed permanently');
    }
  }

  /** The outcome could not be written at all (the database stayed away past the lease). */
  notWritten(run: TaskRun, error: unknown): void {
    // The lease will lapse and a rescue will retry the task: late, but nothing is lost.
    this.options.logger.error({ err: error, taskId: run.task.id }, 'could not record the outcome of a task');
  }

  /** The worker gave the task up, its lease gone: nothing was written. */
  leaseLost(run: TaskRun, reason: string): void {
    this.options.counters.leasesLost += 1;
    this.options.events?.leaseLost(run.task.task_name);
    this.taskLog(run).warn({ reason }, 'lost the lease on a task: stopped it, another worker may run it');
  }

  /** The worker stopped the task, cancelled while it ran: nothing was written. */
  cancelled(run: TaskRun): void {
    this.taskLog(run).info('task cancelled while running');
  }

  /**
   * A write was refused by its fence. A force cancel that won the race is no lost lease (the
   * NOTIFY may trail the refusal), so the row says which: one lookup, on a rare path.
   */
  private async refused(run: TaskRun, leaseLostMessage: string, error?: Error): Promise<void> {
    const cancelled = await cancelledTaskIds(this.options.pool, [run.task.id]).catch(() => new Set<string>());
    if (cancelled.has(run.task.id)) this.cancelled(run);
    else this.taskLog(run).warn({ err: error }, leaseLostMessage);
  }

  private taskLog(run: TaskRun): Logger {
    return this.options.logger.child({ taskId: run.task.id, taskName: run.task.task_name, attempt: run.task.attempts });
  }
}
