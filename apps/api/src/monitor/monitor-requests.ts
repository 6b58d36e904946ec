import { THROUGHPUT_DEFAULT_MINUTES, THROUGHPUT_MAX_MINUTES } from '@taskforge/core';
import { z } from 'zod';

const MINUTES_MESSAGE = `must be an integer from 1 to ${THROUGHPUT_MAX_MINUTES}`;

/** GET /monitor/throughput query string; unknown parameters are refused, as on GET /tasks. */
export const throughputQuery = z.strictObject({
  minutes: z
    .string({ error: 'must be given once' })
    .regex(/^\d{1,4}$/, MINUTES_MESSAGE)
    .transform(Number)
    .refine((value) => value >= 1 && value <= THROUGHPUT_MAX_MINUTES, MINUTES_MESSAGE)
    .default(THROUGHPUT_DEFAULT_MINUTES),
});
export type ThroughputQuery = z.output<typeof throughputQuery>;
