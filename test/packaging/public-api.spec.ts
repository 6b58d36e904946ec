import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';
import { exportedNames } from '../support/packaging/exported-names.js';

const CORE_DIST = join(REPO_ROOT, 'packages/core/dist');

/**
 * The public API of @taskforge/core, as the built package exports it (dist/index.d.ts and
 * dist/index.js, what `npm pack` ships): a name added to or dropped from packages/core/src/index.ts
 * shows up here as a diff to review. See index.ts for what belongs in it.
 */
const PUBLIC_VALUES = [
  'ChannelListener',
  'ConfigError',
  'ConflictError',
  'FINAL_STATES',
  'IdempotencyKeyContendedError',
  'InvalidInputError',
  'InvalidQueryError',
  'InvalidScheduleError',
  'LIST_TASKS_MAX_LIMIT',
  'LeaseLostError',
  'MAX_RETRIES_SOURCES',
  'MISSED_TICKS_POLICIES',
  'NotFoundError',
  'PermanentTaskError',
  'QUEUED_STATES',
  'RetentionSweeper',
  'ScheduleFirer',
  'ScheduleNameConflictError',
  'ScheduleNotFoundError',
  'StructuredLogger',
  'TASK_STATES',
  'TASK_STATUSES',
  'THROUGHPUT_DEFAULT_MINUTES',
  'THROUGHPUT_MAX_MINUTES',
  'TaskCancelledError',
  'TaskNotFoundError',
  'TaskNotifier',
  'TaskStateConflictError',
  'TaskTimeoutError',
  'TaskforgeError',
  'Worker',
  'WorkerRegistry',
  'addTask',
  'addTasks',
  'announceScheduleChange',
  'cancelTask',
  'checkDatabase',
  'checkTaskTypeOptions',
  'claimTasks',
  'completeTasks',
  'createHttpMetrics',
  'createLogger',
  'createMetricsRegistry',
  'createPool',
  'createSchedule',
  'createWorkerMetrics',
  'cronProblem',
  'deleteSchedule',
  'failTask',
  'forceCancelTask',
  'getQueueStats',
  'getSchedule',
  'getTask',
  'getThroughputPerMinute',
  'installProcessGuards',
  'isAwaitingRetry',
  'isConnectionError',
  'isFinal',
  'isQueued',
  'listLiveWorkers',
  'listSchedules',
  'listTasks',
  'loadConfig',
  'migrateDown',
  'migrateUp',
  'parseConfig',
  'poolSizeFor',
  'readMigrations',
  'registerPoolMetrics',
  'registerQueueMetrics',
  'rescheduleTask',
  'retryTask',
  'runTaskNow',
  'runUntilSignal',
  'startEmbeddedPostgres',
  'submitTask',
  'taskState',
  'timezoneProblem',
  'updateSchedule',
];

const PUBLIC_TYPES = [
  'AddTaskOptions',
  'ChannelListenerOptions',
  'ClaimTasksParams',
  'CompletedAttempt',
  'Config',
  'CreatePoolOptions',
  'EmbeddedPostgresOptions',
  'FailTaskParams',
  'ListOrder',
  'ListTasksQuery',
  'LiveWorker',
  'LogLevel',
  'Logger',
  'MinuteThroughput',
  'MissedTicksPolicy',
  'NewSchedule',
  'NewTask',
  'Pool',
  'PoolClient',
  'ProcessRole',
  'Queryable',
  'QueueStats',
  'QueueStatsOptions',
  'Registry',
  'RetentionSweeperOptions',
  'RunUntilSignalOptions',
  'RunningEmbeddedPostgres',
  'Schedule',
  'ScheduleChanges',
  'ScheduleFirerOptions',
  'SubmittedTask',
  'Task',
  'TaskContext',
  'TaskFunction',
  'TaskFunctionLookup',
  'TaskPage',
  'TaskState',
  'TaskStateFields',
  'TaskStatus',
  'TaskTypeOptions',
  'WorkerCounters',
  'WorkerEvents',
  'WorkerOptions',
  'WorkerRegistryOptions',
];

describe("@taskforge/core's exports, as built", () => {
  it('are exactly the public API: these values and these types', () => {
    expect(exportedNames(join(CORE_DIST, 'index.d.ts'))).toEqual({ values: PUBLIC_VALUES, types: PUBLIC_TYPES });
  });

  it('are the same values at run time as in the declarations', async () => {
    const core = (await import(pathToFileURL(join(CORE_DIST, 'index.js')).href)) as Record<string, unknown>;
    expect(Object.keys(core).sort()).toEqual(PUBLIC_VALUES);
  });

  it("keep the scripts' internal entry point (@taskforge/core/internal) to the two names they need", async () => {
    expect(exportedNames(join(CORE_DIST, 'internal.d.ts'))).toEqual({ values: ['anyFreePort', 'configSchema'], types: [] });
    const internal = (await import(pathToFileURL(join(CORE_DIST, 'internal.js')).href)) as Record<string, unknown>;
    expect(Object.keys(internal).sort()).toEqual(['anyFreePort', 'configSchema']);
  });
});
