import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { rescueExpiredTasks } from '../tasks/rescue-expired-tasks.js';

export interface LeaseRescuerOptions {
  pool: Pool;
  /** Pause between two rescues (WORKER_RESCUE_INTERVAL_MS). */
  intervalMs: number;
  logger: Logger;
  /** Tasks this rescue returned to the queue (or failed for good); called only when there were some. */
  onRescued(count: number): void;
}

/**
 * Returns the tasks of workers that died mid-run to the queue: every `intervalMs`, one statement
 * takes back tasks whose lease expired, whichever worker held them and whatever their name (see
 * rescueExpiredTasks for what becomes of each). Every Worker runs one, so a crashed worker's tasks
 * come back as long as any worker lives; the statement is safe to run from all of them at once.
 */
export class LeaseRescuer {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;

  constructor(private readonly options: LeaseRescuerOptions) {}

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => {
      // Never two at once: a slow database must not stack rescues up.
      if (this.inFlight) return;
      this.inFlight = this.rescue()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'lease maintenance failed'))
        .finally(() => {
          this.inFlight = undefined;
        });
    }, this.options.intervalMs);
  }

  /** No new rescue starts; the one in progress, if any, finishes first. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
  }

  private async rescue(): Promise<void> {
    const rescued = await rescueExpiredTasks(this.options.pool);
    if (rescued.length === 0) return;
    this.options.onRescued(rescued.length);
    for (const task of rescued) {
      this.options.logger.warn(
        { taskId: task.id, taskName: task.task_name, lostBy: task.lost_by, attempts: task.attempts, retryAt: task.next_retry_at },
        'rescued a task whose lease expired',
      );
    }
  }
}
