import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { ChannelListener } from '../notify/channel-listener.js';
import { TaskNotifier } from '../notify/task-notifier.js';
import { WakeSignal } from '../worker/wake-signal.js';
import { DEFAULT_MISSED_TICK_GRACE_MS, fireDueSchedules, type FiredSchedule } from '../schedules/fire-due-schedules.js';
import { msUntilNextScheduleTick, SCHEDULES_CHANNEL } from '../schedules/schedule-hints.js';

export interface ScheduleFirerOptions {
  pool: Pool;
  logger: Logger;
  /** Longest wait between looks for due ticks (SCHEDULER_INTERVAL_MS). */
  intervalMs: number;
  /** max_retries of tasks made by schedules without their own (DEFAULT_MAX_RETRIES). */
  defaultMaxRetries: number;
  /** Wakes idle workers once a tick's task is inserted; one on the pool when omitted. */
  notifier?: TaskNotifier;
  /** LISTEN for "schedules changed" hints (default true); the interval stays the fallback. */
  listen?: boolean;
  /** A LISTEN connection shared with the rest of the process (its owner starts and stops it); omitted: the firer opens its own. */
  listener?: ChannelListener;
}

/** Longest pause between looks while the database keeps failing. */
const MAX_ERROR_BACKOFF_MS = 30_000;
/** Pause when a tick is due but another firer holds it, so this one does not spin meanwhile. */
const BUSY_RETRY_MS = 10;

/**
 * The loop every worker runs to turn schedule ticks into tasks. It sleeps until the earliest
 * `next_run_at` (asked of the database, relative to its clock) or `intervalMs`, whichever is
 * sooner, or until a "schedules changed" hint arrives; then fires what is due (see
 * fireDueSchedules: any number of workers may do this at once, each tick still makes one task).
 * Database errors are logged and the loop backs off and keeps going.
 */
export class ScheduleFirer {
  private readonly wakeSignal = new WakeSignal();
  private readonly notifier: TaskNotifier;
  /** The LISTEN connection this firer opened itself: none when given one, or not listening. */
  private readonly ownListener: ChannelListener | undefined;
  private stopListening: (() => void) | undefined;
  private readonly graceMs: number;
  private stopping = false;
  private loop: Promise<void> | undefined;
  private firedCount = 0;

  constructor(private readonly options: ScheduleFirerOptions) {
    const notifyFailed = (error: unknown) => options.logger.warn({ err: error }, 'could not announce scheduled tasks');
    this.notifier = options.notifier ?? new TaskNotifier(options.pool, 10, notifyFailed);
    // A tick late by less than two looks is not "missed", even with a long interval.
    this.graceMs = Math.max(DEFAULT_MISSED_TICK_GRACE_MS, 2 * options.intervalMs);
    if ((options.listen ?? true) && !options.listener) {
      this.ownListener = new ChannelListener(options.pool.options, options.logger, { applicationName: 'taskforge-schedule-listener' });
    }
  }

  /** Ticks this firer turned into tasks since it started. */
  get fired(): number {
    return this.firedCount;
  }

  start(): void {
    if (this.loop) return;
    const listener = (this.options.listen ?? true) ? (this.options.listener ?? this.ownListener) : undefined;
    // A hint, or a (re)connect after which hints may have been missed: look now either way.
    const lookNow = () => this.wakeSignal.wake();
    this.stopListening = listener?.subscribe(SCHEDULES_CHANNEL, { notified: lookNow, listening: lookNow });
    this.ownListener?.start();
    this.loop = this.run();
  }

  /** Stops after the look in progress, if any; no task is made after this resolves. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wakeSignal.wake();
    await this.loop;
    this.stopListening?.();
    await this.ownListener?.stop();
    this.notifier.flush();
  }

  private async run(): Promise<void> {
    let consecutiveErrors = 0;
    while (!this.stopping) {
      let wait: number;
      try {
        // While nothing is due, one cheap look (the due index's first entry) per wake-up; the
        // firing transaction runs only when a tick is due.
        const untilNext = await msUntilNextScheduleTick(this.options.pool);
        if (untilNext !== null && untilNext <= 0) {
          const fired = await fireDueSchedules(this.options.pool, {
            defaultMaxRetries: this.options.defaultMaxRetries,
            missedTickGraceMs: this.graceMs,
          });
          this.report(fired);
          // Look again at once: more may be due. Nothing fired means another firer holds the
          // due schedules right now; it will have moved them on in a moment.
          wait = fired.length > 0 ? 0 : BUSY_RETRY_MS;
        } else {
          wait = untilNext === null ? this.options.intervalMs : Math.min(this.options.intervalMs, untilNext);
        }
        if (consecutiveErrors > 0) this.options.logger.info('database reachable again, firing schedules resumed');
        consecutiveErrors = 0;
      } catch (error) {
        consecutiveErrors += 1;
        wait = Math.min(MAX_ERROR_BACKOFF_MS, this.options.intervalMs * 2 ** Math.min(consecutiveErrors, 20));
        this.options.logger.warn({ err: error, retryInMs: wait }, 'firing schedules failed');
      }
      if (!this.stopping && wait > 0) await this.wakeSignal.sleep(wait);
    }
  }

  private report(fired: readonly FiredSchedule[]): void {
    let made = 0;
    for (const outcome of fired) {
      if (outcome.task_id) made += 1;
      if (outcome.missed > 0) {
        this.options.logger.warn(
          { scheduleId: outcome.schedule_id, missed: outcome.missed, firedTick: outcome.tick, nextRunAt: outcome.next_run_at },
          outcome.tick ? 'schedule missed ticks: caught up once' : 'schedule missed ticks: skipped',
        );
      } else if (outcome.task_id && this.options.logger.isLevelEnabled('debug')) {
        const fields = { scheduleId: outcome.schedule_id, tick: outcome.tick, taskId: outcome.task_id };
        this.options.logger.debug(fields, 'schedule fired');
      }
    }
    this.firedCount += made;
    if (made > 0) this.notifier.tasksAdded(0);
  }
}
