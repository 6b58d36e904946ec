import { Module } from '@nestjs/common';
import { WorkerMetricsService } from '../metrics/worker-metrics.service.js';
import { FailTaskHandler } from './handlers/fail.handler.js';
import { HttpTaskHandler } from './handlers/http.handler.js';
import { NoopTaskHandler } from './handlers/noop.handler.js';
import { SleepTaskHandler } from './handlers/sleep.handler.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerService } from './worker.service.js';

/** Add a new task type's handler class to `providers`; it registers itself in onModuleInit. */
@Module({
  providers: [TaskRegistryService, WorkerService, WorkerMetricsService, NoopTaskHandler, SleepTaskHandler, FailTaskHandler, HttpTaskHandler],
  exports: [TaskRegistryService, WorkerService, WorkerMetricsService],
})
export class WorkerModule {}
