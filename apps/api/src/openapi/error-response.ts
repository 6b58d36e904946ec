import { z } from 'zod';

/**
 * The body every error shares (CoreErrorFilter, the bearer-token check, Fastify's own 4xx), as
 * the OpenAPI spec shows it. Validation errors add `errors`, conflicts the task's `status`.
 */
export const errorResponse = z
  .looseObject({
    statusCode: z.int().meta({ example: 400 }),
    error: z.string().meta({ description: 'The status text', example: 'Bad Request' }),
    message: z.string().meta({ description: 'What was wrong, naming the field', example: 'max_retries must not be negative' }),
    errors: z
      .array(
        z.object({
          index: z.int().optional().meta({ description: 'The item of a batch the problem is in' }),
          field: z.string(),
          message: z.string(),
        }),
      )
      .optional()
      .meta({ description: 'On a 400 for an invalid body: each problem on its own' }),
  })
  .meta({ id: 'Error' });

/** What each error status means on every route that can answer it; routes add their own wording. */
export const ERROR_DESCRIPTIONS = {
  400: 'Invalid input: the message names each bad field',
  401: 'Missing or wrong bearer token (only when API_TOKEN is set)',
  404: 'No task with that id',
  409: 'The task is not in a state that allows this; `status` gives its current status',
  413: 'The body is larger than API_MAX_BODY_BYTES',
  415: 'The body is not JSON (content-type other than application/json or text/plain)',
  503: 'The database is unreachable; retry later',
} as const;

export type DocumentedErrorStatus = keyof typeof ERROR_DESCRIPTIONS;
