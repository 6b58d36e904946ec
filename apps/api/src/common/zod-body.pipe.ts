import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { describeIssues, validationFailed } from './validation-error.js';

/** Validates a request body against a zod schema; anything but a JSON object is refused first. */
export class ZodBodyPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(body: unknown): z.output<Schema> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw validationFailed([{ field: 'body', message: 'must be a JSON object' }]);
    }
    const result = this.schema.safeParse(body);
    if (!result.success) throw validationFailed(describeIssues(result.error.issues));
    return result.data;
  }
}
