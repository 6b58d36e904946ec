import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import {
  ChannelListener,
  RetentionSweeper,
  ScheduleFirer,
  Worker,
  WorkerRegistry,
  type Config,
  type Pool,
  type WorkerCounters,
} from '@taskforge/core';
import { CONFIG, PG_POOL } from '../common/tokens.js';
import { LoggerService } from '../logger/logger.service.js';
import { WorkerMetricsService } from '../metrics/worker-metrics.service.js';
import { TaskRegistryService } from './task-registry.service.js';

/**
 * Runs core's claim loop for the handlers in the registry, for as long as the app lives, and
 * beside it the maintenance services every worker process runs (core's src/maintenance/).
 */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  /** Claims, runs and records tasks; keeps its own leases and rescues expired ones (WORKER_RESCUE_INTERVAL_MS). */
  private readonly worker: Worker;
  /** Deletes finished tasks past their retention (one worker at a time, advisory lock). */
  private readonly retention: RetentionSweeper;
  /** This worker's row in task_workers (GET /monitor/workers). */
  private readonly presence: WorkerRegistry;
  /** Turns due schedule ticks into tasks; every worker runs one (each tick still makes one task). */
  private readonly scheduleFirer: ScheduleFirer;
  /**
   * The process's one LISTEN connection, shared by the claim loop (task and cancel hints) and
   * the schedule firer: a worker holds its pool plus this one connection.
   */
  private readonly listener: ChannelListener;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(PG_POOL) pool: Pool,
    registry: TaskRegistryService,
    logger: LoggerService,
    metrics: WorkerMetricsService,
  ) {
    // The pool's settings (timeouts, keepAlive), on DATABASE_LISTEN_URL when that is set.
    this.listener = new ChannelListener(
      { ...pool.options, connectionString: config.DATABASE_LISTEN_URL ?? config.DATABASE_URL },
      logger.pino.child({ workerId: config.WORKER_ID }),
      { applicationName: `taskforge-listener ${config.WORKER_ID}`.slice(0, 63) },
    );
    this.worker = new Worker({
      pool,
      listener: this.listener,
      workerId: config.WORKER_ID,
      handlers: registry,
      concurrency: config.WORKER_MAX_CONCURRENT_TASKS,
      pollIntervalMs: config.WORKER_POLLING_INTERVAL_MS,
      retry: { baseDelayMs: config.RETRY_BASE_DELAY_MS, maxDelayMs: config.RETRY_MAX_DELAY_MS },
      logger: logger.pino,
      leaseMs: config.WORKER_LEASE_MS,
      heartbeatIntervalMs: config.WORKER_HEARTBEAT_INTERVAL_MS,
      rescueIntervalMs: config.WORKER_RESCUE_INTERVAL_MS,
      defaultTimeoutMs: config.TASK_DEFAULT_TIMEOUT_MS,
      resultMaxBytes: config.TASK_RESULT_MAX_BYTES,
      prefetch: config.WORKER_PREFETCH,
      events: metrics.events,
    });
    metrics.readRunningFrom(() => this.worker.runningCount);
    this.presence = new WorkerRegistry({
      db: pool,
      workerId: config.WORKER_ID,
      concurrency: config.WORKER_MAX_CONCURRENT_TASKS,
      // A function: handlers register themselves in onModuleInit, after this constructor.
      taskNames: () => registry.names(),
      running: () => this.worker.runningCount,
      heartbeatIntervalMs: config.WORKER_HEARTBEAT_INTERVAL_MS,
      logger: logger.pino,
    });
    this.retention = new RetentionSweeper({
      pool,
      completedRetentionMs: config.TASK_RETENTION_COMPLETED,
      failedRetentionMs: config.TASK_RETENTION_FAILED,
      intervalMs: config.TASK_RETENTION_INTERVAL_MS,
      logger: logger.pino,
    });
    this.scheduleFirer = new ScheduleFirer({
      pool,
      logger: logger.pino.child({ workerId: config.WORKER_ID }),
      intervalMs: config.SCHEDULER_INTERVAL_MS,
      defaultMaxRetries: config.DEFAULT_MAX_RETRIES,
      listener: this.listener,
    });
  }

  get workerId(): string {
    return this.config.WORKER_ID;
  }

  get runningCount(): number {
    return this.worker.runningCount;
  }

  get counters(): WorkerCounters {
    return { ...this.worker.counters };
  }

  /** Every handler registered itself in onModuleInit, which Nest has run by now. */
  onApplicationBootstrap(): void {
    this.worker.start();
    this.retention.start();
    this.presence.start();
    this.scheduleFirer.start();
    this.listener.start();
  }

  /** Before the pool closes (onApplicationShutdown): running tasks still need it to record their outcome. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduleFirer.stop();
    // Together: a retention batch in progress commits and stops while running tasks finish.
    await Promise.all([this.retention.stop(), this.worker.stop(this.config.WORKER_SHUTDOWN_TIMEOUT_MS)]);
    await this.presence.stop();
    await this.listener.stop();
  }
}
