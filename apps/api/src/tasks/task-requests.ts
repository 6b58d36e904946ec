import { z } from 'zod';

const INT32_MIN = -2_147_483_648;
const INT32_MAX = 2_147_483_647;
/** Beyond this the backoff is at its cap anyway; it also keeps attempts far from integer overflow. */
export const MAX_RETRIES_LIMIT = 1_000;

function required(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);
}

/** ISO 8601 date-time with an explicit offset (`Z` or `+02:00`), so no server time zone is ever assumed. */
const isoDateTime = z
  .string({ error: required('an ISO 8601 date-time string') })
  .refine((value) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i.test(value), {
    message: 'must be an ISO 8601 date-time with a time zone, such as 2030-01-01T09:00:00Z',
  })
  .transform((value, ctx) => {
    const date = new Date(value);
    if (Number.isNaN(date.getTime())) {
      ctx.addIssue({ code: 'custom', message: 'is not a valid date-time' });
      return z.NEVER;
    }
    return date;
  });

export const createTaskRequest = z.strictObject({
  task_name: z
    .string({ error: required('a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(255, 'must be at most 255 characters'),
  payload: z.unknown().optional(),
  scheduled_at: isoDateTime.optional(),
  priority: z
    .number({ error: required('an integer') })
    .int('must be an integer')
    .min(INT32_MIN, `must be at least ${INT32_MIN}`)
    .max(INT32_MAX, `must be at most ${INT32_MAX}`)
    .optional(),
  max_retries: z
    .number({ error: required('an integer') })
    .int('must be an integer')
    .min(0, 'must not be negative')
    .max(MAX_RETRIES_LIMIT, `must be at most ${MAX_RETRIES_LIMIT}`)
    .optional(),
});
export type CreateTaskRequest = z.output<typeof createTaskRequest>;

export const rescheduleTaskRequest = z.strictObject({ scheduled_at: isoDateTime });
export type RescheduleTaskRequest = z.output<typeof rescheduleTaskRequest>;
