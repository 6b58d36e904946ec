import { LIST_TASKS_MAX_LIMIT, TASK_STATUSES, type ListTasksQuery, type TaskStatus } from '@taskforge/core';
import { z } from 'zod';
import { isoDateTime, UNSTORABLE_TEXT, UNSTORABLE_TEXT_MESSAGE } from './task-requests.js';

/** Bounds one request's filter list; far more names than any queue has. */
export const MAX_TASK_NAME_FILTERS = 100;

/** Fastify parses `?a=1&a=2` into `['1', '2']` and `?a=1` into `'1'`: a list either way. */
const repeatable = z
  .union([z.string(), z.array(z.string())], { error: 'must be a string' })
  .transform((value) => (Array.isArray(value) ? value : [value]));

/** A parameter that may appear once; `?limit=1&limit=2` is refused rather than guessed at. */
function once<Schema extends z.ZodType<unknown, string>>(schema: Schema) {
  return z
    .unknown()
    .transform((value, ctx) => {
      if (typeof value === 'string') return value;
      ctx.addIssue({ code: 'custom', message: Array.isArray(value) ? 'must be given once' : 'must be a string' });
      return z.NEVER;
    })
    .pipe(schema)
    .optional();
}

const STATUS_LIST = TASK_STATUSES.join(', ');

/** `status=pending,failed` and `status=pending&status=failed` alike; each one of the five statuses. */
const statuses = repeatable.transform((values, ctx) => {
  const parts = values.flatMap((value) => value.split(',')).map((part) => part.trim());
  const unknown = parts.filter((part) => !(TASK_STATUSES as readonly string[]).includes(part));
  if (unknown.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `must be one of ${STATUS_LIST} (got ${unknown.map((part) => JSON.stringify(part)).join(', ')})`,
    });
    return z.NEVER;
  }
  return [...new Set(parts)] as TaskStatus[];
});

function taskNamesProblem(names: readonly string[]): string | null {
  if (names.length > MAX_TASK_NAME_FILTERS) return `must be given at most ${MAX_TASK_NAME_FILTERS} times`;
  if (names.some((name) => name.length === 0)) return 'must not be empty';
  if (names.some((name) => name.length > 255)) return 'must be at most 255 characters';
  if (names.some((name) => UNSTORABLE_TEXT.test(name))) return UNSTORABLE_TEXT_MESSAGE;
  return null;
}

/**
 * Repeated for several names (`task_name=a&task_name=b`), never split on commas: a task name
 * may contain one. Trimmed, as POST /tasks trims the names it stores.
 */
const taskNames = repeatable.transform((values, ctx) => {
  const names = values.map((value) => value.trim());
  const problem = taskNamesProblem(names);
  if (problem) {
    ctx.addIssue({ code: 'custom', message: problem });
    return z.NEVER;
  }
  return [...new Set(names)];
});

const LIMIT_MESSAGE = `must be an integer from 1 to ${LIST_TASKS_MAX_LIMIT}`;
const limit = z
  .string()
  .regex(/^\d{1,4}$/, LIMIT_MESSAGE)
  .transform(Number)
  .refine((value) => value >= 1 && value <= LIST_TASKS_MAX_LIMIT, LIMIT_MESSAGE);

/** GET /tasks query string. Unknown parameters are refused, so a misspelt filter never silently lists everything. */
export const listTasksQuery = z
  .strictObject({
    status: statuses.optional(),
    task_name: taskNames.optional(),
    created_after: once(isoDateTime),
    created_before: once(isoDateTime),
    scheduled_after: once(isoDateTime),
    scheduled_before: once(isoDateTime),
    limit: once(limit),
    order: once(z.enum(['asc', 'desc'], { error: 'must be asc or desc' })),
    // Decoded by core, which names `cursor` in its error when it does not decode.
    cursor: once(z.string().min(1, 'must not be empty')),
  })
  .transform((query): ListTasksQuery => ({
    statuses: query.status,
    taskNames: query.task_name,
    createdAfter: query.created_after,
    createdBefore: query.created_before,
    scheduledAfter: query.scheduled_after,
    scheduledBefore: query.scheduled_before,
    limit: query.limit,
    order: query.order,
    cursor: query.cursor,
  }));
export type ListTasksRequest = z.output<typeof listTasksQuery>;
