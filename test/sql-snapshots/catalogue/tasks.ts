import { TaskStateConflictError } from '../../../packages/core/src/errors.js';
import { addTasks } from '../../../packages/core/src/tasks/add-tasks.js';
import { cancelTask } from '../../../packages/core/src/tasks/cancel-task.js';
import { cancelledTaskIds } from '../../../packages/core/src/tasks/cancelled-task-ids.js';
import { claimTasks, claimTasksToRun, type ClaimTasksParams } from '../../../packages/core/src/tasks/claim-tasks.js';
import { completeTasks } from '../../../packages/core/src/tasks/complete-tasks.js';
import { deleteExpiredTasks } from '../../../packages/core/src/tasks/delete-expired-tasks.js';
import { failTasks } from '../../../packages/core/src/tasks/fail-task.js';
import { forceCancelTask } from '../../../packages/core/src/tasks/force-cancel-task.js';
import { getTask } from '../../../packages/core/src/tasks/get-task.js';
import { insertTask } from '../../../packages/core/src/tasks/insert-task.js';
import { listTasks } from '../../../packages/core/src/tasks/list-tasks.js';
import { releaseTasks } from '../../../packages/core/src/tasks/release-tasks.js';
import { renewLeases } from '../../../packages/core/src/tasks/renew-leases.js';
import { rescheduleTask } from '../../../packages/core/src/tasks/reschedule-task.js';
import { rescueExpiredTasks } from '../../../packages/core/src/tasks/rescue-expired-tasks.js';
import { retryTask } from '../../../packages/core/src/tasks/retry-task.js';
import { runTaskNow } from '../../../packages/core/src/tasks/run-task-now.js';
import { submitTask } from '../../../packages/core/src/tasks/submit-task.js';
import { getTaskStats } from '../../../packages/core/src/tasks/task-stats.js';
import { EMAIL_TASK, finishedTask, pendingTask, runningTask, WORKER_ID } from './fixtures.js';
import { refusedWith, scenario, type ModuleScenarios } from './scenario.js';

const CLAIM: ClaimTasksParams = { workerId: WORKER_ID, taskNames: ['email', 'report'], limit: 10 };
const CLAIM_PER_NAME: ClaimTasksParams = { ...CLAIM, perNameLimits: [['report', 2]], handlerMaxRetries: [['email', 5]] };
const IN_A_WEEK = new Date(Date.now() + 7 * 86_400_000);

/** The statements of packages/core/src/tasks/. */
export const TASKS_SCENARIOS: ModuleScenarios[] = [
  {
    module: 'tasks/add-tasks.ts',
    scenarios: [
      scenario({
        call: "addTasks(db, [{ task_name: 'email', … }, { task_name: 'report', scheduled_at, … }])",
        run: ({ pool }) => addTasks(pool, [EMAIL_TASK, { task_name: 'report', scheduled_at: IN_A_WEEK, max_retries: 0 }]),
      }),
    ],
  },
  {
    module: 'tasks/cancel-task.ts',
    scenarios: [
      scenario({
        call: 'cancelTask(db, id) of a pending task',
        setup: ({ pool }) => pendingTask(pool),
        run: ({ pool }, id) => cancelTask(pool, id),
      }),
      scenario({
        call: 'cancelTask(db, id) of a running task: refused, after reading its status',
        setup: ({ pool }) => runningTask(pool),
        run: ({ pool }, task) => refusedWith(TaskStateConflictError, cancelTask(pool, task.id)),
      }),
    ],
  },
  {
    module: 'tasks/cancelled-task-ids.ts',
    scenarios: [
      scenario({
        call: 'cancelledTaskIds(db, [id, id])',
        setup: async ({ pool }) => [await finishedTask(pool, 'cancelled'), await pendingTask(pool)],
        run: ({ pool }, ids) => cancelledTaskIds(pool, ids),
      }),
    ],
  },
  {
    module: 'tasks/claim-tasks.ts',
    scenarios: [
      scenario({
        call: "claimTasks(db, { workerId, taskNames: ['email', 'report'], limit: 10 })",
        run: ({ pool }) => claimTasks(pool, CLAIM),
      }),
      scenario({
        call: "claimTasks(db, { …, perNameLimits: [['report', 2]], handlerMaxRetries: [['email', 5]] })",
        run: ({ pool }) => claimTasks(pool, CLAIM_PER_NAME),
      }),
      scenario({
        call: "claimTasksToRun(db, { workerId, taskNames: ['email', 'report'], limit: 10 })",
        run: ({ pool }) => claimTasksToRun(pool, CLAIM),
      }),
      scenario({
        call: "claimTasksToRun(db, { …, perNameLimits: [['report', 2]], handlerMaxRetries: [['email', 5]] })",
        run: ({ pool }) => claimTasksToRun(pool, CLAIM_PER_NAME),
      }),
    ],
  },
  {
    module: 'tasks/complete-tasks.ts',
    scenarios: [
      scenario({
        call: 'completeTasks(db, { workerId, tasks: [{ id, attempt, resultJson: \'{"sent":true}\' }] })',
        setup: ({ pool }) => runningTask(pool),
        run: ({ pool }, task) => completeTasks(pool, { workerId: WORKER_ID, tasks: [{ ...task, resultJson: '{"sent":true}' }] }),
      }),
    ],
  },
  {
    module: 'tasks/delete-expired-tasks.ts',
    scenarios: [
      scenario({
        call: "deleteExpiredTasks(db, { kind: 'completed', retentionMs: 7 days, limit: 1000 })",
        run: ({ pool }) => deleteExpiredTasks(pool, { kind: 'completed', retentionMs: 7 * 86_400_000, limit: 1_000 }),
      }),
      scenario({
        call: "deleteExpiredTasks(db, { kind: 'failed', retentionMs: 30 days, limit: 1000, finishedFrom })",
        run: ({ pool }) =>
          deleteExpiredTasks(pool, { kind: 'failed', retentionMs: 30 * 86_400_000, limit: 1_000, finishedFrom: new Date(0) }),
      }),
    ],
  },
  {
    module: 'tasks/fail-task.ts',
    scenarios: [
      scenario({
        call: "failTasks(db, { workerId, tasks: [{ id, attempt, error: 'timed out', stack, retryDelayMs: 1000 }] })",
        setup: ({ pool }) => runningTask(pool),
        run: ({ pool }, task) =>
          failTasks(pool, {
            workerId: WORKER_ID,
            tasks: [{ ...task, error: 'timed out', stack: 'Error: timed out', retryDelayMs: 1_000 }],
          }),
      }),
    ],
  },
  {
    module: 'tasks/force-cancel-task.ts',
    scenarios: [
      scenario({
        call: 'forceCancelTask(db, id) of a running task',
        setup: ({ pool }) => runningTask(pool),
        run: ({ pool }, task) => forceCancelTask(pool, task.id),
      }),
      scenario({
        call: 'forceCancelTask(db, id) of a completed task: refused, after reading its status',
        setup: ({ pool }) => finishedTask(pool, 'completed'),
        run: ({ pool }, id) => refusedWith(TaskStateConflictError, forceCancelTask(pool, id)),
      }),
    ],
  },
  {
    module: 'tasks/get-task.ts',
    scenarios: [scenario({ call: 'getTask(db, id)', setup: ({ pool }) => pendingTask(pool), run: ({ pool }, id) => getTask(pool, id) })],
  },
  {
    module: 'tasks/insert-task.ts',
    scenarios: [
      scenario({
        call: "insertTask(db, { task_name: 'email', payload, max_retries: 3 })",
        run: ({ pool }) => insertTask(pool, EMAIL_TASK),
      }),
    ],
  },
  {
    module: 'tasks/list-tasks.ts',
    scenarios: [
      scenario({
        call: "listTasks(db, { statuses: ['pending', 'failed'], taskNames: ['email'], limit: 20 }): newest first",
        run: ({ pool }) => listTasks(pool, { statuses: ['pending', 'failed'], taskNames: ['email'], limit: 20 }),
      }),
      scenario({
        call: "listTasks(db, { order: 'asc', createdAfter, cursor }): oldest first, the second page",
        setup: async ({ pool }) => {
          await pendingTask(pool);
          await pendingTask(pool);
          return (await listTasks(pool, { order: 'asc', limit: 1 })).nextCursor;
        },
        run: ({ pool }, cursor) => listTasks(pool, { order: 'asc', createdAfter: new Date(0), cursor, limit: 1 }),
      }),
    ],
  },
  {
    module: 'tasks/release-tasks.ts',
    scenarios: [
      scenario({
        call: 'releaseTasks(db, { workerId, tasks: [{ id, attempt }] })',
        setup: ({ pool }) => runningTask(pool),
        run: ({ pool }, task) => releaseTasks(pool, { workerId: WORKER_ID, tasks: [task] }),
      }),
    ],
  },
  {
    module: 'tasks/renew-leases.ts',
    scenarios: [
      scenario({
        call: 'renewLeases(db, { workerId, leaseMs: 30000, tasks: [{ id, attempt }] })',
        setup: ({ pool }) => runningTask(pool),
        run: ({ pool }, task) => renewLeases(pool, { workerId: WORKER_ID, leaseMs: 30_000, tasks: [task] }),
      }),
    ],
  },
  {
    module: 'tasks/reschedule-task.ts',
    scenarios: [
      scenario({
        call: 'rescheduleTask(db, { id, scheduledAt }) of a pending task',
        setup: ({ pool }) => pendingTask(pool),
        run: ({ pool }, id) => rescheduleTask(pool, { id, scheduledAt: IN_A_WEEK }),
      }),
      scenario({
        call: 'rescheduleTask(db, { id, scheduledAt }) of a running task: refused, after reading its status',
        setup: ({ pool }) => runningTask(pool),
        run: ({ pool }, task) => refusedWith(TaskStateConflictError, rescheduleTask(pool, { id: task.id, scheduledAt: IN_A_WEEK })),
      }),
    ],
  },
  {
    module: 'tasks/rescue-expired-tasks.ts',
    scenarios: [scenario({ call: 'rescueExpiredTasks(db, { limit: 100 })', run: ({ pool }) => rescueExpiredTasks(pool, { limit: 100 }) })],
  },
  {
    module: 'tasks/retry-task.ts',
    scenarios: [
      scenario({
        call: 'retryTask(db, id) of a task failed for good',
        setup: ({ pool }) => finishedTask(pool, 'failed'),
        run: ({ pool }, id) => retryTask(pool, id),
      }),
      scenario({
        call: 'retryTask(db, id) of a pending task: refused, after reading its status',
        setup: ({ pool }) => pendingTask(pool),
        run: ({ pool }, id) => refusedWith(TaskStateConflictError, retryTask(pool, id)),
      }),
    ],
  },
  {
    module: 'tasks/run-task-now.ts',
    scenarios: [
      scenario({
        call: 'runTaskNow(db, id) of a task due in a week',
        setup: ({ pool }) => pendingTask(pool, { scheduled_at: IN_A_WEEK }),
        run: ({ pool }, id) => runTaskNow(pool, id),
      }),
      scenario({
        call: 'runTaskNow(db, id) of a cancelled task: refused, after reading its status',
        setup: ({ pool }) => finishedTask(pool, 'cancelled'),
        run: ({ pool }, id) => refusedWith(TaskStateConflictError, runTaskNow(pool, id)),
      }),
    ],
  },
  {
    module: 'tasks/submit-task.ts',
    scenarios: [
      scenario({ call: 'submitTask(db, task) without an idempotency key', run: ({ pool }) => submitTask(pool, EMAIL_TASK) }),
      scenario({
        call: "submitTask(db, { …, idempotency_key: 'welcome-ada' }) of a new key",
        run: ({ pool }) => submitTask(pool, { ...EMAIL_TASK, idempotency_key: 'welcome-ada' }),
      }),
      scenario({
        call: "submitTask(db, { …, idempotency_key: 'welcome-ada' }) of a key whose task finished past the window: released, then taken",
        setup: ({ pool }) => finishedTask(pool, 'completed', 'welcome-ada'),
        run: ({ pool }) => submitTask(pool, { ...EMAIL_TASK, idempotency_key: 'welcome-ada' }),
      }),
    ],
  },
  {
    module: 'tasks/task-stats.ts',
    scenarios: [scenario({ call: 'getTaskStats(db)', run: ({ pool }) => getTaskStats(pool) })],
  },
];
