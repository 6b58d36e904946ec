import { z } from 'zod';

/** The monitor endpoints' answers as the OpenAPI spec shows them, beside the controller that sends them. */
export const healthResponse = z.object({ status: z.literal('ok') }).meta({ id: 'Health' });

export const healthFailureResponse = z
  .object({
    status: z.literal('error'),
    statusCode: z.literal(503),
    error: z.string(),
    message: z.string().meta({ example: 'database unreachable: connect ECONNREFUSED 127.0.0.1:5432' }),
  })
  .meta({ id: 'HealthFailure' });

const count = z.int().min(0);

/** Loose: the counts listed are always there; more may be added without breaking clients. */
export const taskStatsResponse = z
  .looseObject({
    pending: count,
    running: count,
    completed: count,
    failed: count,
    cancelled: count,
    failed_awaiting_retry: count.meta({ description: 'Failed tasks that will be tried again (part of failed)' }),
    failed_permanently: count.meta({ description: 'Failed tasks with no retries left (part of failed)' }),
    total: count,
  })
  .meta({ id: 'TaskStats' });
