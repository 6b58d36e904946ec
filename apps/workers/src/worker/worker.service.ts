import { Inject, Injectable, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { ScheduleFirer, Worker, type Config, type Pool, type WorkerCounters } from '@taskforge/core';
import { CONFIG, PG_POOL } from '../common/tokens.js';
import { LoggerService } from '../logger/logger.service.js';
import { TaskRegistryService } from './task-registry.service.js';

/** Runs core's claim loop for the handlers in the registry, for as long as the app lives. */
@Injectable()
export class WorkerService implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly worker: Worker;
  /** Turns due schedule ticks into tasks; every worker runs one (each tick still makes one task). */
  private readonly scheduleFirer: ScheduleFirer;

  constructor(
    @Inject(CONFIG) private readonly config: Config,
    @Inject(PG_POOL) pool: Pool,
    registry: TaskRegistryService,
    logger: LoggerService,
  ) {
    this.worker = new Worker({
      pool,
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
    });
    this.scheduleFirer = new ScheduleFirer({
      pool,
      logger: logger.pino.child({ workerId: config.WORKER_ID }),
      intervalMs: config.SCHEDULER_INTERVAL_MS,
      defaultMaxRetries: config.DEFAULT_MAX_RETRIES,
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
    this.scheduleFirer.start();
  }

  /** Before the pool closes (onApplicationShutdown): running tasks still need it to record their outcome. */
  async beforeApplicationShutdown(): Promise<void> {
    await this.scheduleFirer.stop();
    await this.worker.stop(this.config.WORKER_SHUTDOWN_TIMEOUT_MS);
  }
}
