export * from './errors.js';
export * from './config/config-schema.js';
export * from './config/load-config.js';
export * from './config/pool-size.js';
export * from './logger.js';
export type { Queryable } from './db/queryable.js';
export * from './db/create-pool.js';
export * from './db/is-connection-error.js';
export * from './db/check-database.js';
export * from './schema/migrate.js';
export * from './tasks/task.js';
// The task states every part shares (their SQL twin: sql/task-states.sql).
export * from '@taskforge/model';
export * from './tasks/add-task.js';
export * from './tasks/add-tasks.js';
export * from './tasks/submit-task.js';
export * from './tasks/get-task.js';
export {
  listTasks,
  LIST_TASKS_DEFAULT_LIMIT,
  LIST_TASKS_MAX_LIMIT,
  type ListTasksQuery,
  type ListOrder,
  type TaskPage,
} from './tasks/list-tasks.js';
export * from './tasks/cancel-task.js';
export * from './tasks/reschedule-task.js';
export * from './tasks/claim-tasks.js';
export * from './tasks/complete-tasks.js';
export * from './tasks/fail-task.js';
export * from './tasks/task-stats.js';
export * from './tasks/renew-leases.js';
export * from './tasks/rescue-expired-tasks.js';
export * from './tasks/release-tasks.js';
export * from './tasks/retry-task.js';
export * from './tasks/run-task-now.js';
export * from './tasks/force-cancel-task.js';
export * from './tasks/cancelled-task-ids.js';
export * from './tasks/delete-expired-tasks.js';
export * from './retry/backoff.js';
export * from './worker/coerce-error.js';
export * from './worker/task-function.js';
export * from './worker/task-type-options.js';
export * from './worker/worker.js';
export * from './maintenance/retention-sweeper.js';
export { TaskTimeoutError, LeaseLostError, TaskCancelledError } from './worker/task-run.js';
export { installProcessGuards } from './worker/task-scope.js';
export * from './embedded/embedded-postgres.js';
export * from './process/run-until-signal.js';
export * from './notify/channel.js';
export * from './notify/task-notifier.js';
export * from './notify/channel-listener.js';
export * from './notify/task-hints.js';
export type { Pool, PoolClient } from 'pg';
export * from './embedded/ports.js';
export * from './monitor/queue-stats.js';
export * from './monitor/task-workers.js';
export * from './monitor/throughput-per-minute.js';
export * from './worker/worker-events.js';
export * from './maintenance/worker-registry.js';
export * from './metrics/metrics-registry.js';
export * from './metrics/pool-metrics.js';
export * from './metrics/worker-metrics.js';
export * from './metrics/queue-metrics.js';
export * from './metrics/http-metrics.js';
export * from './schedules/schedule.js';
export * from './schedules/schedule-errors.js';
export * from './schedules/cron-expression.js';
export * from './schedules/create-schedule.js';
export * from './schedules/get-schedules.js';
export * from './schedules/update-schedule.js';
export * from './schedules/delete-schedule.js';
export * from './schedules/fire-due-schedules.js';
export * from './schedules/schedule-hints.js';
export * from './maintenance/schedule-firer.js';
