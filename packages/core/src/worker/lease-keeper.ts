import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { cancelledTaskIds } from '../tasks/cancelled-task-ids.js';
import { releaseTasks } from '../tasks/release-tasks.js';
import { renewLeases } from '../tasks/renew-leases.js';
import { writeWithRetry } from './write-with-retry.js';
import type { TaskRun } from './task-run.js';

export interface LeaseKeeperOptions {
  pool: Pool;
  workerId: string;
  leaseMs: number;
  heartbeatIntervalMs: number;
  logger: Logger;
  /** The worker's current runs, settled ones included (their outcome write needs the lease too). */
  runs(): Iterable<TaskRun>;
  onLeaseLost(run: TaskRun, reason: string): void;
  /** The heartbeat found the task cancelled (a force cancel whose NOTIFY this worker missed). */
  onCancelled(run: TaskRun): void;
}

/** How long a release on shutdown may keep retrying while the database is unreachable. */
const RELEASE_RETRY_MS = 5_000;

/**
 * Keeps this worker's leases alive, and gives them back on shutdown:
 * - heartbeat: one statement renews every running task's lease; a task it does not renew is
 *   no longer ours, and its handler is stopped (as cancelled, if that is why);
 * - watchdog: a task whose lease may have lapsed locally (no heartbeat got through, say the
 *   database is unreachable) is stopped too, since another worker may already run it.
 * Other workers' expired leases are the LeaseRescuer's (maintenance/lease-rescuer.ts).
 */
export class LeaseKeeper {
  private readonly timers: NodeJS.Timeout[] = [];
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly options: LeaseKeeperOptions) {}

  start(): void {
    this.every(this.options.heartbeatIntervalMs, () => this.heartbeat());
    this.every(this.watchdogIntervalMs(), async () => this.expireLocally());
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearInterval(timer);
    this.timers.length = 0;
    await Promise.allSettled([...this.inFlight]);
  }

  /** Shutdown: gives the runs back, due at once, attempt returned. */
  async release(runs: readonly TaskRun[]): Promise<void> {
    if (runs.length === 0) return;
    try {
      const released = await writeWithRetry(
        () => releaseTasks(this.options.pool, { workerId: this.options.workerId, tasks: runs.map((run) => run.attempt) }),
        performance.now() + RELEASE_RETRY_MS,
      );
      this.options.logger.info({ released: released.length, of: runs.length }, 'released running tasks');
    } catch (error) {
      this.options.logger.error(
        { err: error, count: runs.length },
        'could not release running tasks; they will be rescued when their lease expires',
      );
    }
  }

  /** Runs `tick` every `ms`, never two at once. */
  private every(ms: number, tick: () => Promise<void>): void {
    let busy = false;
    const timer = setInterval(() => {
      if (busy) return;
      busy = true;
      const run = tick()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'lease maintenance failed'))
        .finally(() => {
          busy = false;
          this.inFlight.delete(run);
        });
      this.inFlight.add(run);
    }, ms);
    this.timers.push(timer);
  }

  private async heartbeat(): Promise<void> {
    const runs = [...this.options.runs()];
    if (runs.length === 0) return;
    const sentAt = performance.now();
    const renewed = new Set(
      await renewLeases(this.options.pool, {
        workerId: this.options.workerId,
        leaseMs: this.options.leaseMs,
        tasks: runs.map((run) => run.attempt),
      }),
    );
    const lost: TaskRun[] = [];
    for (const run of runs) {
      if (renewed.has(run.task.id)) run.leaseDeadline = Math.max(run.leaseDeadline, sentAt + this.options.leaseMs);
      // A settled run may have just written its outcome, which ends the lease legitimately.
      else if (!run.settled) lost.push(run);
    }
    if (lost.length === 0) return;
    // Rare, so worth one lookup: a cancelled task is reported as such, not as a lost lease.
    const cancelled = await cancelledTaskIds(
      this.options.pool,
      lost.map((run) => run.task.id),
    ).catch(() => new Set<string>());
    for (const run of lost) {
      if (cancelled.has(run.task.id)) this.options.onCancelled(run);
      else this.options.onLeaseLost(run, 'the heartbeat found the task no longer held by this worker');
    }
  }

  private watchdogIntervalMs(): number {
    return Math.min(1_000, this.options.heartbeatIntervalMs);
  }

  /**
   * One watchdog interval early: the check runs once per interval, so waiting for the deadline
   * itself would stop the handler up to an interval after the database may have handed the
   * task to another worker (the scale-out tests saw 0.1–0.7 s of overlap). The local deadline
   * is already at or before the database's (counted from when the claim or renewal was sent).
   */
  private expireLocally(): void {
    const now = performance.now() + this.watchdogIntervalMs();
    for (const run of this.options.runs()) {
      if (!run.settled && now > run.leaseDeadline) {
        this.options.onLeaseLost(run, 'lease expired: no heartbeat reached the database in time');
      }
    }
  }
}
