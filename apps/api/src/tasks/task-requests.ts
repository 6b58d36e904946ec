import { z } from 'zod';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
/** Beyond this the backoff is at its cap anyway; it also keeps attempts far from integer overflow. */
export const MAX_RETRIES_LIMIT = 1_000;
export const MAX_TIMEOUT_MS = 7 * 86_400_000;
/** Far beyond any real payload; much deeper nesting would overflow the stack when it is serialised (a 500). */
export const MAX_PAYLOAD_DEPTH = 100;
export const MAX_IDEMPOTENCY_KEY_LENGTH = 255;

function required(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);
}

/** U+0000 and unpaired surrogates: PostgreSQL's text and jsonb cannot store them. */
// eslint-disable-next-line no-control-regex -- matching U+0000 is the point
export const UNSTORABLE_TEXT = /\u0000|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
export const UNSTORABLE_TEXT_MESSAGE = 'must not contain the character U+0000 or unpaired surrogates';

/** Why the payload cannot be stored as jsonb, or null when it can. Iterative, so depth cannot overflow the stack here. */
function payloadProblem(payload: unknown): string | null {
  const pending: { value: unknown; depth: number }[] = [{ value: payload, depth: 1 }];
  for (let next = pending.pop(); next; next = pending.pop()) {
    const { value, depth } = next;
    if (typeof value === 'string' && UNSTORABLE_TEXT.test(value)) return UNSTORABLE_TEXT_MESSAGE;
    if (value === null || typeof value !== 'object') continue;
    if (depth > MAX_PAYLOAD_DEPTH) return `must not be nested more than ${MAX_PAYLOAD_DEPTH} levels deep`;
    for (const [key, child] of Object.entries(value)) {
      if (UNSTORABLE_TEXT.test(key)) return UNSTORABLE_TEXT_MESSAGE;
      pending.push({ value: child, depth: depth + 1 });
    }
  }
  return null;
}

/** Date rolls 2030-02-30 over to March 2; a day the month does not have is refused instead. */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = value.slice(0, 10).split('-').map(Number) as [number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** ISO 8601 date-time with an explicit offset (`Z` or `+02:00`), so no server time zone is ever assumed. */
export const isoDateTime = z
  .string({ error: required('an ISO 8601 date-time string') })
  .refine((value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value), {
    message: 'must be an ISO 8601 date-time with a time zone, such as 2030-01-01T09:00:00Z',
  })
  .transform((value, ctx) => {
    const date = new Date(value);
    if (Number.isNaN(date.getTime()) || !isCalendarDate(value)) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date-time' });
      return z.NEVER;
    }
    return date;
  })
  .meta({ format: 'date-time', description: 'ISO 8601 with a time zone (`Z` or `+02:00`)', example: '2030-01-01T09:00:00Z' });

/**
 * A date-time that is stored: an offset can push 0001-01-01 or 9999-12-31 out of the four-digit
 * years, and it would come back in the extended form (-000001-12-31T…). Filters keep isoDateTime.
 */
export const storableDateTime = isoDateTime
  .refine((date) => date.getUTCFullYear() >= 1 && date.getUTCFullYear() <= 9999, {
    message: 'must fall between the years 0001 and 9999 in UTC',
  })
  .meta({ format: 'date-time', description: 'ISO 8601 with a time zone (`Z` or `+02:00`)', example: '2030-01-01T09:00:00Z' });

export const createTaskRequest = z
  .strictObject(
    {
      task_name: z
        .string({ error: required('a string') })
        .trim()
        .min(1, 'must not be empty')
        .max(255, 'must be at most 255 characters')
        .refine((value) => !UNSTORABLE_TEXT.test(value), UNSTORABLE_TEXT_MESSAGE)
        .meta({ description: 'Workers claim only names they have a handler for (trimmed)', example: 'send-email' }),
      payload: z
        .unknown()
        .superRefine((value, ctx) => {
          const problem = payloadProblem(value);
          if (problem) ctx.addIssue({ code: 'custom', message: problem });
        })
        .optional()
        .meta({ description: `Any JSON value, passed to the handler as is (default null; at most ${MAX_PAYLOAD_DEPTH} levels deep)` }),
      scheduled_at: storableDateTime.optional().meta({ description: 'When it becomes due (default now; in the past means now)' }),
      priority: z
        .number({ error: required('an integer') })
        .int('must be an integer')
        .min(INT32_MIN, `must be at least ${INT32_MIN}`)
        .max(INT32_MAX, `must be at most ${INT32_MAX}`)
        .optional()
        .meta({ description: 'Higher runs first (default 0)' }),
      max_retries: z
        .number({ error: required('an integer') })
        .int('must be an integer')
        .min(0, 'must not be negative')
        .max(MAX_RETRIES_LIMIT, `must be at most ${MAX_RETRIES_LIMIT}`)
        .optional()
        .meta({
          description:
            "Retries after the first attempt. Omitted: the handler's maxRetries, if the worker that starts the task has one, else DEFAULT_MAX_RETRIES (see max_retries_source)",
        }),
      timeout_ms: z
        .number({ error: required('an integer') })
        .int('must be an integer')
        .min(1, 'must be at least 1')
        .max(MAX_TIMEOUT_MS, `must be at most ${MAX_TIMEOUT_MS} (7 days)`)
        .optional()
        .meta({ description: 'Time limit of one attempt (default TASK_DEFAULT_TIMEOUT_MS, none)' }),
      // Opaque to us, so not trimmed; counted in characters (code points), as the column's check does.
      idempotency_key: z
        .string({ error: required('a string') })
        .min(1, 'must not be empty')
        .refine((value) => [...value].length <= MAX_IDEMPOTENCY_KEY_LENGTH, `must be at most ${MAX_IDEMPOTENCY_KEY_LENGTH} characters`)
        .refine((value) => !UNSTORABLE_TEXT.test(value), UNSTORABLE_TEXT_MESSAGE)
        .nullish()
        .meta({
          description:
            'Deduplication: while a task holds this key (and TASK_IDEMPOTENCY_WINDOW after it finished), the same key returns that task with 200',
        }),
    },
    // Reached only by batch items: POST /tasks refuses a body that is not an object before parsing.
    { error: (issue) => (issue.code === 'invalid_type' ? 'must be a JSON object' : undefined) },
  )
  .meta({ id: 'CreateTaskRequest' });
export type CreateTaskRequest = z.output<typeof createTaskRequest>;

export const rescheduleTaskRequest = z.strictObject({ scheduled_at: storableDateTime }).meta({ id: 'RescheduleTaskRequest' });
export type RescheduleTaskRequest = z.output<typeof rescheduleTaskRequest>;

/**
 * Most tasks one POST /tasks/batch may carry. It bounds one request's work and its error list;
 * a full batch is one INSERT, answered in about 60 ms in tasks-batch.spec.ts.
 */
export const MAX_BATCH_SIZE = 1_000;

/**
 * The batch envelope is checked before any item, so an oversized batch is refused without
 * validating thousands of items, and its message names the limit rather than item problems.
 */
const taskBatchEnvelope = z.strictObject({
  tasks: z
    .array(z.unknown(), { error: required('an array') })
    .min(1, 'must contain at least 1 task')
    .max(MAX_BATCH_SIZE, `must contain at most ${MAX_BATCH_SIZE} tasks`),
});

/**
 * Each item is a POST /tasks body, checked by the very same schema so the two cannot drift,
 * except for `idempotency_key`: settling a key may take a release and a second insert, which
 * the batch's one all-or-nothing INSERT cannot do (see core's addTasks).
 */
const batchItem = createTaskRequest.extend({
  idempotency_key: z
    .null({ error: 'is not accepted in a batch: submit tasks with an idempotency key one by one with POST /tasks' })
    .optional(),
});

export const createTaskBatchRequest = taskBatchEnvelope.pipe(z.object({ tasks: z.array(batchItem) }));
export type CreateTaskBatchRequest = z.output<typeof createTaskBatchRequest>;

/** The batch as the OpenAPI spec shows it: the envelope's limits around POST /tasks items (validation is the pipe above). */
export const createTaskBatchDocumented = taskBatchEnvelope
  .extend({ tasks: z.array(createTaskRequest).min(1).max(MAX_BATCH_SIZE) })
  .meta({ id: 'CreateTaskBatchRequest' });
