// The worker app as a library: embed it, or run it with more handler modules.
export { CONFIG, PG_POOL } from './common/tokens.js';
export { createWorkerApp, type CreateWorkerAppOptions } from './create-worker-app.js';
export { HealthServer } from './health/health-server.js';
export { WorkerHealthService, type WorkerHealth } from './health/worker-health.service.js';
export { LoggerService } from './logger/logger.service.js';
export { runWorkerProcess } from './run-worker-process.js';
export type { TaskContext, TaskHandler } from './worker/task-handler.interface.js';
export { Task, type TaskOptions } from './worker/task.decorator.js';
export { TaskRegistryService } from './worker/task-registry.service.js';
export { WorkerModule } from './worker/worker.module.js';
export { WorkerService } from './worker/worker.service.js';
export { WorkerMetricsService } from './metrics/worker-metrics.service.js';
