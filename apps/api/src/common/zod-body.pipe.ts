import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { describeIssues, validationFailed, type FieldProblem } from './validation-error.js';

/** Validates a request body against a zod schema; anything but a JSON object is refused first. */
export class ZodBodyPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(
    private readonly schema: Schema,
    private readonly describe: (issues: readonly z.core.$ZodIssue[]) => FieldProblem[] = describeIssues,
  ) {}

  transform(body: unknown): z.output<Schema> {
    if (body === null || typeof body !== 'object' || Array.isArray(body)) {
      throw validationFailed([{ field: 'body', message: 'must be a JSON object' }]);
    }
    const result = this.schema.safeParse(body);
    if (!result.success) throw validationFailed(this.describe(result.error.issues));
    return result.data;
  }
}
