import { MAX_RETRIES_SOURCES, TASK_STATUSES, type Task } from '@taskforge/core';
import { z } from 'zod';

/*
 * A task as the API returns it: snake_case like the seed, timestamps as ISO 8601 strings. The
 * zod schema is the single description: the TypeScript type comes from it, and the OpenAPI spec
 * shows it; toTaskResponse must produce it, so the compiler catches drift from core's Task.
 */

export const timestamp = z.string().meta({ format: 'date-time', example: '2030-01-01T09:00:00.000Z' });
export const nullableTimestamp = timestamp.nullable();

const attemptRecord = z
  .object({
    attempt: z.int(),
    worker_id: z.string().nullable(),
    started_at: nullableTimestamp,
    finished_at: timestamp,
    outcome: z.enum(['completed', 'failed', 'lease_expired', 'released', 'cancelled']).meta({ description: 'How the attempt ended' }),
    error: z.object({ message: z.string(), stack: z.string().nullable() }).nullable(),
  })
  .meta({ id: 'AttemptRecord' });

export const taskResponse = z
  .object({
    id: z.uuid(),
    task_name: z.string(),
    payload: z.unknown().meta({ description: 'Any JSON value, as submitted' }),
    status: z.enum(TASK_STATUSES),
    priority: z.int().meta({ description: 'Higher runs first' }),
    scheduled_at: timestamp,
    attempts: z.int().meta({ description: 'Attempts started so far' }),
    max_retries: z.int().meta({
      description:
        'Retries allowed after the first attempt (at most 1 + max_retries runs). Fixed once the first attempt starts; ' +
        "until then, for max_retries_source 'default', a stand-in the worker may still replace",
    }),
    max_retries_source: z.enum(MAX_RETRIES_SOURCES).meta({
      description:
        "Where max_retries came from. explicit: given at submission. default: not given, so DEFAULT_MAX_RETRIES; while the task has not started (attempts 0) this is not yet decided: the worker that starts it replaces it with its handler's maxRetries if the handler sets one. handler: that handler's maxRetries, applied when the first attempt started",
    }),
    last_error: z.string().nullable(),
    next_retry_at: nullableTimestamp.meta({ description: 'When a failed task is tried again; null once its retries are spent' }),
    locked_by: z.string().nullable().meta({ description: 'The worker running it' }),
    locked_at: nullableTimestamp,
    lease_expires_at: nullableTimestamp,
    timeout_ms: z.int().nullable(),
    result: z.unknown().meta({ description: 'What the handler returned (JSON), once completed' }),
    created_at: timestamp,
    updated_at: timestamp,
    started_at: nullableTimestamp.meta({ description: 'Start of the latest attempt' }),
    finished_at: nullableTimestamp.meta({ description: 'When it reached a final state' }),
    idempotency_key: z.string().nullable(),
    schedule_id: z.uuid().nullable().meta({ description: 'The schedule that made it, if any' }),
    schedule_tick: nullableTimestamp,
    attempt_history: z.array(attemptRecord).meta({ description: 'The latest attempts, oldest first (at most 20)' }),
  })
  .meta({ id: 'Task' });

export type TaskResponse = z.output<typeof taskResponse>;

/** GET /tasks: one page of tasks, and where the next one starts (null after the last). */
export const taskListResponse = z.object({ tasks: z.array(taskResponse), next_cursor: z.string().nullable() }).meta({ id: 'TaskList' });
export type TaskListResponse = z.output<typeof taskListResponse>;

/** `POST /tasks` answers only the new id: the task is stored, its details are a GET away. */
export const createdTaskResponse = z.object({ id: z.uuid() }).meta({ id: 'CreatedTask' });

export const createdTaskBatchResponse = z
  .object({ ids: z.array(z.uuid()).meta({ description: 'In request order' }) })
  .meta({ id: 'CreatedTaskBatch' });

/** A nullable timestamp as the API prints it. */
export const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);

export function toTaskResponse(task: Task): TaskResponse {
  return {
    id: task.id,
    task_name: task.task_name,
    payload: task.payload,
    status: task.status,
    priority: task.priority,
    scheduled_at: task.scheduled_at.toISOString(),
    attempts: task.attempts,
    max_retries: task.max_retries,
    max_retries_source: task.max_retries_source,
    last_error: task.last_error,
    next_retry_at: isoOrNull(task.next_retry_at),
    locked_by: task.locked_by,
    locked_at: isoOrNull(task.locked_at),
    lease_expires_at: isoOrNull(task.lease_expires_at),
    timeout_ms: task.timeout_ms,
    result: task.result,
    created_at: task.created_at.toISOString(),
    updated_at: task.updated_at.toISOString(),
    started_at: isoOrNull(task.started_at),
    finished_at: isoOrNull(task.finished_at),
    idempotency_key: task.idempotency_key,
    schedule_id: task.schedule_id,
    schedule_tick: isoOrNull(task.schedule_tick),
    attempt_history: task.attempt_history,
  };
}
