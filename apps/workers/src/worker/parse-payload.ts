import { PermanentTaskError } from '@taskforge/core';
import type { z } from 'zod';

/**
 * Validates a handler's payload. A malformed payload fails the task for good: retrying the
 * same input cannot fix it.
 */
export function parsePayload<Schema extends z.ZodType>(schema: Schema, payload: unknown, taskName: string): z.output<Schema> {
  const result = schema.safeParse(payload ?? {});
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`);
  throw new PermanentTaskError(`invalid payload for ${taskName}: ${problems.join('; ')}`);
}
