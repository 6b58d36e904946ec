import type { Logger } from 'pino';
import { PermanentTaskError } from '../errors.js';
import { retryDelayMs } from '../retry/backoff.js';
import { LeaseRescuer } from '../maintenance/lease-rescuer.js';
import { ChannelListener } from '../notify/channel-listener.js';
import { subscribeToTaskHints } from '../notify/task-hints.js';
import { claimTasksToRun, DEFAULT_LEASE_MS } from '../tasks/claim-tasks.js';
import { coerceError } from './coerce-error.js';
import { DueAlarm } from './due-alarm.js';
import { LeaseKeeper } from './lease-keeper.js';
import { OutcomeLog } from './outcome-log.js';
import { OutcomeWriter } from './outcome-writer.js';
import { PerNameCaps } from './per-name-caps.js';
import { PrefetchSizer } from './prefetch-sizer.js';
import { LeaseLostError, TaskCancelledError, TaskRun, type TaskOutcome } from './task-run.js';
import { runInTaskScope } from './task-scope.js';
import { readTaskTypeSettings, type TaskTypeSettings } from './task-type-settings.js';
import { WakeSignal } from './wake-signal.js';
import type { WorkerCounters, WorkerOptions } from './worker-options.js';

export type { WorkerCounters, WorkerOptions } from './worker-options.js';

/** Outcomes waiting to be written beyond which the worker claims no more (see `room`). */
const MAX_PENDING_WRITES = 1_000;

/** Longest pause between claims while the database keeps failing. */
const MAX_ERROR_BACKOFF_MS = 30_000;

/**
 * The claim → run → record loop of one worker process. Framework-free: the NestJS worker
 * app wraps it, and a plain script can use it directly.
 *
 * Invariant: a claimed task always ends in exactly one of completed, failed (retried or
 * final), released (shutdown) or abandoned (lease lost, so another worker owns it now; or
 * cancelled, so the row is final already).
 */
export class Worker {
  /** Claimed tasks whose handler runs: these fill the concurrency slots. */
  private readonly running = new Map<string, TaskRun>();
  /**
   * Finished tasks whose outcome is being written. They hold their lease (heartbeats include
   * them) but not a slot: a slot frees as soon as its handler settles, so the next task starts
   * while the outcome is still on its way (drain A, measured: 6,300 → 9,500 tasks/s after
   * start-up, as the write round-trip no longer gates each slot).
   */
  private readonly writing = new Set<TaskRun>();
  /** Claimed tasks waiting for a free slot, in claim order. */
  private readonly buffer: TaskRun[] = [];
  private readonly prefetch: PrefetchSizer;
  private readonly outcomes: OutcomeWriter;
  /** Logs, counts and announces each task's end (see OutcomeLog). */
  private readonly outcomeLog: OutcomeLog;
  /** The LISTEN connection this worker opened itself: none when given one, or not listening. */
  private readonly ownListener: ChannelListener | undefined;
  private stopListening: (() => void) | undefined;
  /** Wakes the claim loop when an announced task falls due. */
  private readonly dueAlarm = new DueAlarm(() => {
    this.backlogLikely = true;
    this.wakeSignal.wake();
  });
  private readonly wakeSignal = new WakeSignal();
  private readonly log: Logger;
  private readonly leases: LeaseKeeper;
  /** Other workers' expired leases: every worker rescues them, so a crashed one's tasks come back. */
  private readonly rescuer: LeaseRescuer;
  private readonly leaseMs: number;
  private stopping = false;
  private loop: Promise<void> | undefined;
  /** The last claim filled every free slot, so more tasks are probably due right now. */
  private backlogLikely = false;
  /** The handlers' per-type concurrency caps and maxRetries, read when the worker starts. */
  private settings: TaskTypeSettings = { caps: new PerNameCaps(new Map()), handlerMaxRetries: [] };
  readonly counters: WorkerCounters = { processed: 0, completed: 0, failed: 0, leasesLost: 0, rescued: 0 };

  constructor(private readonly options: WorkerOptions) {
    this.log = options.logger.child({ workerId: options.workerId });
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
    this.leases = new LeaseKeeper({
      pool: options.pool,
      workerId: options.workerId,
      leaseMs: this.leaseMs,
      heartbeatIntervalMs: options.heartbeatIntervalMs ?? 5_000,
      logger: this.log,
      runs: () => [...this.running.values(), ...this.buffer, ...this.writing],
      onLeaseLost: (run, reason) => this.abandon(run, reason),
      onCancelled: (run) => this.stopCancelled(run),
    });
    this.rescuer = new LeaseRescuer({
      pool: options.pool,
      intervalMs: options.rescueIntervalMs ?? 1_000,
      logger: this.log,
      onRescued: (count) => {
        this.counters.rescued += count;
        options.events?.rescued(count);
      },
    });
    this.prefetch = new PrefetchSizer(options.concurrency, options.prefetch ?? 10 * options.concurrency);
    this.outcomes = new OutcomeWriter(options.pool, options.workerId, options.resultMaxBytes ?? 65_536);
    this.outcomeLog = new OutcomeLog({ pool: options.pool, logger: this.log, counters: this.counters, events: options.events });
    if ((options.listen ?? true) && !options.listener) this.ownListener = new ChannelListener(options.pool.options, this.log);
  }

  get runningCount(): number {
    return this.running.size;
  }

  /** Throws, starting nothing, when a handler's settings are invalid. */
  start(): void {
    if (this.loop) return;
    this.settings = readTaskTypeSettings(this.options.handlers);
    this.log.info(
      { taskNames: this.options.handlers.names(), concurrency: this.options.concurrency, leaseMs: this.leaseMs },
      'worker started',
    );
    this.leases.start();
    this.rescuer.start();
    const listener = (this.options.listen ?? true) ? (this.options.listener ?? this.ownListener) : undefined;
    this.stopListening =
      listener &&
      subscribeToTaskHints(listener, {
        tasksAnnounced: (dueAt) => this.dueAlarm.announced(dueAt),
        taskCancelled: (taskId) => this.taskCancelled(taskId),
      });
    this.ownListener?.start();
    this.loop = this.claimLoop();
  }

  /**
   * Stops claiming and waits up to `timeoutMs` for running tasks. The rest are aborted through
   * their AbortSignal and released: due again at once, their attempt given back.
   */
  async stop(timeoutMs = 30_000): Promise<void> {
    this.stopping = true;
    this.dueAlarm.stop();
    this.wakeSignal.wake();
    await this.loop;
    // Buffered tasks never started: give them back at once rather than run them now.
    const unstarted = this.buffer.splice(0).filter((run) => run.settle());
    await this.leases.release(unstarted);
    if (!(await this.allSettledWithin(timeoutMs))) {
      const unfinished = [...this.running.values()].filter((run) => run.settle());
      // Settled ones are in `writing` already; the rest are cut short and given back.
      this.log.warn({ count: unfinished.length }, 'shutdown timeout reached: aborting and releasing running tasks');
      for (const run of unfinished) run.abort(new Error('worker shutting down'));
      await this.leases.release(unfinished);
      for (const run of unfinished) this.running.delete(run.task.id);
    }
    // Only now: a force cancel must still reach tasks that run on after the claim loop ended.
    this.stopListening?.();
    await this.ownListener?.stop();
    await this.outcomes.drain();
    await Promise.all([this.leases.stop(), this.rescuer.stop()]);
    this.log.info(this.counters, 'worker stopped');
  }

  private async allSettledWithin(timeoutMs: number): Promise<boolean> {
    const deadline = performance.now() + timeoutMs;
    while (this.running.size > 0 && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, Math.min(50, Math.max(1, deadline - performance.now()))));
    }
    return this.running.size === 0;
  }

  /** Tasks claimed and not yet finished: running or buffered. */
  private get held(): number {
    return this.running.size + this.buffer.length;
  }

  /**
   * Room for another claim. Outcomes still being written do not take a slot, but while their
   * writes are failing (the database is away) the worker stops taking more work.
   */
  private get room(): number {
    if (this.writing.size > MAX_PENDING_WRITES) return 0;
    return this.options.concurrency + this.prefetch.size - this.held;
  }

  private async claimLoop(): Promise<void> {
    let consecutiveErrors = 0;
    while (!this.stopping) {
      // Refill once the buffer is at most half full, so claims go out in batches, not one
      // task per freed slot (drain A: claims of ~concurrency/2 tasks instead of 1).
      const room = this.room;
      const lowWater = Math.floor(this.prefetch.size / 2);
      if (room > 0 && this.buffer.length <= lowWater) {
        try {
          const sentAt = performance.now();
          // Capped types only up to their free slots (see PerNameCaps).
          const perNameLimits = this.settings.caps.limits(this.running.values(), this.buffer);
          const tasks = await claimTasksToRun(this.options.pool, {
            workerId: this.options.workerId,
            taskNames: this.options.handlers.names(),
            limit: room,
            leaseMs: this.leaseMs,
            perNameLimits,
            handlerMaxRetries: this.settings.handlerMaxRetries,
          });
          this.settings.caps.claimed(perNameLimits, room, tasks);
          this.prefetch.claimTook(performance.now() - sentAt);
          this.options.events?.claimed(tasks.length);
          if (consecutiveErrors > 0) this.log.info('database reachable again, claiming resumed');
          consecutiveErrors = 0;
          this.backlogLikely = tasks.length === room;
          for (const task of tasks) this.buffer.push(new TaskRun(task, sentAt, this.leaseMs));
          this.pump();
        } catch (error) {
          consecutiveErrors += 1;
          const pause = Math.min(MAX_ERROR_BACKOFF_MS, this.options.pollIntervalMs * 2 ** Math.min(consecutiveErrors, 20));
          this.log.warn({ err: error, retryInMs: pause }, 'claiming tasks failed');
          await this.wakeSignal.sleep(pause);
          continue;
        }
      }
      // With a backlog and room below the low-water mark, claim again at once; otherwise sleep
      // until a slot frees up (which wakes us only while a backlog is likely), a hint arrives,
      // the next announced task falls due, or the poll interval ends.
      const canClaim = this.room > 0 && this.buffer.length <= lowWater;
      if (canClaim && (this.backlogLikely || this.settings.caps.readyToClaim(this.running.values(), this.buffer))) continue;
      if (!this.stopping) await this.wakeSignal.sleep(this.options.pollIntervalMs);
    }
  }

  /** Starts buffered tasks while slots are free. */
  private pump(): void {
    while (this.running.size < this.options.concurrency && this.buffer.length > 0 && !this.stopping) {
      this.startTask(this.buffer.shift()!);
    }
  }

  private startTask(run: TaskRun): void {
    const { task } = run;
    run.startedAt = performance.now();
    this.running.set(task.id, run);
    // The task's own limit, else its type's (a handler's setting), else the worker's default.
    const timeoutMs = task.timeout_ms ?? this.options.handlers.timeoutMsFor?.(task.task_name) ?? this.options.defaultTimeoutMs;
    if (timeoutMs) {
      run.startTimeout(timeoutMs, (error) => {
        run.abort(error);
        this.finish(run, { kind: 'failure', error });
      });
    }
    const fail = (error: Error) => this.finish(run, { kind: 'failure', error });
    // Not awaited: the run goes on while the claim loop does. invokeHandler settles every outcome
    // itself (its catch hands anything thrown to finish), so its promise never rejects.
    void runInTaskScope({ taskId: task.id, fail }, () => this.invokeHandler(run));
  }

  private async invokeHandler(run: TaskRun): Promise<void> {
    const { task } = run;
    if (this.log.isLevelEnabled('debug')) {
      this.log.debug({ taskId: task.id, taskName: task.task_name, attempt: task.attempts }, 'task started');
    }
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
    run.handlerMs = performance.now() - run.startedAt;
    this.prefetch.handlerTook(run.handlerMs);
    if (this.running.get(run.task.id) === run) this.running.delete(run.task.id);
    this.writing.add(run);
    this.pump();
    this.wakeIfWorthClaiming(run);
    this.writeOutcome(run, outcome)
      .catch((error: unknown) => this.outcomeLog.notWritten(run, error))
      .finally(() => {
        this.writing.delete(run);
        if (this.backlogLikely) this.wakeSignal.wake();
      });
  }

  /** Writes the outcome (batched with other tasks'), then reports what was written. */
  private async writeOutcome(run: TaskRun, outcome: TaskOutcome): Promise<void> {
    this.counters.processed += 1;
    if (outcome.kind === 'success') {
      const written = await this.outcomes.succeed(run, outcome.result);
      if (written === 'completed') return this.outcomeLog.completed(run);
      if (written === 'refused') return this.outcomeLog.completionRefused(run);
      return this.outcomeLog.failed(run, written.error, written.failed);
    }
    const failed = await this.outcomes.fail(run, outcome.error, retryDelayMs(run.task.attempts, this.options.retry));
    return this.outcomeLog.failed(run, outcome.error, failed);
  }

  /** The lease is gone: stop the handler and forget the task without writing anything. */
  private abandon(run: TaskRun, reason: string): void {
    if (this.drop(run, new LeaseLostError(reason))) this.outcomeLog.leaseLost(run, reason);
  }

  /** A force-cancel NOTIFY: stop the task if this worker runs it (or holds it in its buffer). */
  private taskCancelled(taskId: string): void {
    const run = this.running.get(taskId) ?? this.buffer.find((buffered) => buffered.task.id === taskId);
    if (run) this.stopCancelled(run);
  }

  /** The row is cancelled, final already: stop the handler and free its slot, writing nothing. */
  private stopCancelled(run: TaskRun): void {
    if (this.drop(run, new TaskCancelledError(run.task.id))) this.outcomeLog.cancelled(run);
  }

  /** Stops a run that is no longer this worker's to finish; false if its outcome was decided already. */
  private drop(run: TaskRun, reason: Error): boolean {
    if (!run.settle()) return false;
    run.abort(reason);
    if (this.running.get(run.task.id) === run) this.running.delete(run.task.id);
    const buffered = this.buffer.indexOf(run);
    if (buffered >= 0) this.buffer.splice(buffered, 1);
    this.pump();
    this.wakeIfWorthClaiming(run);
    return true;
  }

  /** A slot freed: wake the claim loop if more tasks are probably due, of any type or of the freed one's capped type. */
  private wakeIfWorthClaiming(freed: TaskRun): void {
    if (this.backlogLikely || this.settings.caps.mayHaveMore(freed.task.task_name)) this.wakeSignal.wake();
  }
}
