import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { WorkerMetricsService } from '../metrics/worker-metrics.service.js';
import { FailTaskHandler } from './handlers/fail.handler.js';
import { HttpTaskHandler } from './handlers/http.handler.js';
import { NoopTaskHandler } from './handlers/noop.handler.js';
import { SleepTaskHandler } from './handlers/sleep.handler.js';
import { TaskDiscovery } from './task-discovery.service.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerService } from './worker.service.js';

/**
 * Add a new task type's handler class to `providers` (here or in any module of the app): a
 * class with `@Task(name)` is registered by TaskDiscovery, a seed-style one registers itself
 * in onModuleInit.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    TaskRegistryService,
    TaskDiscovery,
    WorkerService,
    WorkerMetricsService,
    NoopTaskHandler,
    SleepTaskHandler,
    FailTaskHandler,
    HttpTaskHandler,
  ],
  exports: [TaskRegistryService, WorkerService, WorkerMetricsService],
})
export class WorkerModule {}
