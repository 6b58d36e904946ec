import { Inject, Injectable } from '@nestjs/common';
import {
  createMetricsRegistry,
  createWorkerMetrics,
  registerPoolMetrics,
  type Pool,
  type Registry,
  type WorkerEvents,
} from '@taskforge/core';
import { PG_POOL } from '../common/tokens.js';

/**
 * The worker's metrics, served on GET /metrics by the HealthServer: what this worker did
 * (claims, outcomes, run times, leases) and its pool. The queue's own gauges (tasks by status,
 * lag) come from the API's /metrics, so N workers do not run the same query N times.
 */
@Injectable()
export class WorkerMetricsService {
  readonly registry: Registry = createMetricsRegistry();
  /** Handed to core's Worker as `events`. */
  readonly events: WorkerEvents;
  private running: () => number = () => 0;

  constructor(@Inject(PG_POOL) pool: Pool) {
    this.events = createWorkerMetrics(this.registry, { running: () => this.running() });
    registerPoolMetrics(this.registry, pool);
  }

  /** Where the running-tasks gauge reads from (the Worker exists only after this service). */
  readRunningFrom(running: () => number): void {
    this.running = running;
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
