/*
 * The client's names for what the API sends and takes, all derived from the generated OpenAPI
 * types (./generated/openapi.ts): when the API changes, these change with it, and code that
 * relied on the old shape stops compiling. Nothing here re-declares a field.
 */
import type { components, operations } from './generated/openapi.js';

type Schemas = components['schemas'];
/** The JSON body an operation takes. */
type JsonBody<Operation extends keyof operations> = operations[Operation] extends {
  requestBody?: { content: { 'application/json': infer Body } };
}
  ? Body
  : never;

/** A task as GET /tasks/:id returns it. */
export type Task = Schemas['Task'];
export type TaskStatus = Task['status'];
export type AttemptRecord = Schemas['AttemptRecord'];
/** One page of GET /tasks, and the cursor of the next (null after the last). */
export type TaskList = Schemas['TaskList'];

/** The body of POST /tasks. */
export type CreateTaskRequest = Schemas['CreateTaskRequest'];
/** An item of POST /tasks/batch: a POST /tasks body without an idempotency key (the batch refuses one). */
export type BatchTaskRequest = Omit<CreateTaskRequest, 'idempotency_key'> & { idempotency_key?: null };
export type CreatedTask = Schemas['CreatedTask'];
/** What submit() resolves with: the id, and whether it is new (201) or the task already holding the idempotency key (200). */
export type SubmittedTask = CreatedTask & { created: boolean };

/** GET /tasks query parameters as the spec lists them (all strings on the wire). */
type ListTasksWireQuery = NonNullable<operations['TasksController_list']['parameters']['query']>;
type DateFilter = 'created_after' | 'created_before' | 'scheduled_after' | 'scheduled_before';
/**
 * GET /tasks filters: the spec's parameters, with the repeatable ones as lists and the time
 * filters also taking a Date. `limit` is the page size (1 to 500).
 */
export type ListTasksQuery = Omit<ListTasksWireQuery, 'status' | 'task_name' | DateFilter> & {
  status?: TaskStatus | readonly TaskStatus[];
  task_name?: string | readonly string[];
} & { [Filter in DateFilter]?: Date | ListTasksWireQuery[Filter] };

export type Schedule = Schemas['Schedule'];
export type CreateScheduleRequest = JsonBody<'SchedulesController_create'>;
export type UpdateScheduleRequest = JsonBody<'SchedulesController_update'>;
export type MissedTicksPolicy = Schedule['missed_ticks'];

export type QueueStats = Schemas['QueueStats'];
/** The counts of one status breakdown (the whole queue's, or one task name's in by_task_name). */
export type StatusCounts = QueueStats['by_task_name'][string];
export type LiveWorker = Schemas['LiveWorkers']['workers'][number];
/** A task a live worker holds (LiveWorker.running_tasks). */
export type HeldTask = LiveWorker['running_tasks'][number];
export type ThroughputMinute = Schemas['Throughput']['minutes'][number];
export type Health = Schemas['Health'];
export type HealthFailure = Schemas['HealthFailure'];

/** The body every error answer shares. */
export type ErrorBody = Schemas['Error'];
/** One problem of a 400, naming its field (and the batch item's index). */
export type FieldError = NonNullable<ErrorBody['errors']>[number];

/**
 * The task states (statuses, and what they mean: queued, final, awaiting a retry) as every part of
 * taskforge defines them, @taskforge/model. The spec's status enum is checked against them.
 */
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
} from '@taskforge/model';
