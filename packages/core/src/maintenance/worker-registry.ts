import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { Queryable } from '../db/queryable.js';
import { deleteWorkerRow, upsertWorkerRow } from '../monitor/task-workers.js';

export interface WorkerRegistryOptions {
  db: Queryable;
  workerId: string;
  concurrency: number;
  /** Read with each heartbeat (handlers may register after the registry is built). */
  taskNames(): readonly string[];
  /** Handlers running now, reported with each heartbeat. */
  running(): number;
  heartbeatIntervalMs: number;
  logger: Logger;
  /** Defaults to the OS host name and this process. */
  host?: string;
  pid?: number;
}

/**
 * Rows of workers not seen for this long are deleted by any worker's heartbeat: long enough
 * that a worker cut off from the database for a while finds its row again (it re-creates it
 * anyway), short enough that the table never collects the ghosts of crashed workers.
 */
export const WORKER_ROW_PRUNE_MS = 3_600_000;

/**
 * Keeps this worker's row in task_workers (GET /monitor/workers): written at start and with
 * every heartbeat, deleted on a clean stop. A worker that dies without stopping stops
 * heartbeating and drops out of the live list; its row is pruned later.
 */
export class WorkerRegistry {
  private timer: NodeJS.Timeout | undefined;
  private inFlight: Promise<void> | undefined;
  /** Resolves once the first write of start() went through or failed (logged). */
  registered: Promise<void> = Promise.resolve();

  constructor(private readonly options: WorkerRegistryOptions) {}

  /**
   * Registers the worker and starts heartbeating. Returns at once: start-up must not wait on
   * the database (see `registered`).
   */
  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.heartbeat(false), this.options.heartbeatIntervalMs);
    this.registered = this.heartbeat(true);
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.inFlight;
    try {
      await deleteWorkerRow(this.options.db, this.options.workerId);
    } catch (error) {
      this.options.logger.warn({ err: error }, 'could not remove this worker from task_workers; it drops out once unseen');
    }
  }

  /** One write at a time: a slow database must not stack heartbeats up. */
  private heartbeat(starting: boolean): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const { options } = this;
    this.inFlight = upsertWorkerRow(options.db, {
      worker: {
        id: options.workerId,
        host: options.host ?? hostname(),
        pid: options.pid ?? process.pid,
        concurrency: options.concurrency,
        taskNames: options.taskNames(),
        running: options.running(),
      },
      starting,
      pruneAfterMs: WORKER_ROW_PRUNE_MS,
    })
      .catch((error: unknown) => options.logger.warn({ err: error }, 'worker heartbeat (task_workers) failed'))
      .finally(() => {
        this.inFlight = undefined;
      });
    return this.inFlight;
  }
}
