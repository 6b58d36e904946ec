import type { PipeTransform } from '@nestjs/common';
import type { z } from 'zod';
import { validationFailed, type FieldProblem } from './validation-error.js';

/** One problem per parameter, each named: `limit must be an integer from 1 to 500`. */
function describeQueryIssues(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: key, message: 'is not a known query parameter' }));
    }
    return [{ field: String(issue.path[0] ?? 'query'), message: issue.message }];
  });
}

/**
 * Validates a query string, as parsed by Fastify (a repeated key arrives as an array of
 * strings), against a zod schema; every bad or unknown parameter is named in one 400.
 */
export class ZodQueryPipe<Schema extends z.ZodType> implements PipeTransform<unknown, z.output<Schema>> {
  constructor(private readonly schema: Schema) {}

  transform(query: unknown): z.output<Schema> {
    const result = this.schema.safeParse({ ...(query as object | undefined) });
    if (!result.success) throw validationFailed(describeQueryIssues(result.error.issues));
    return result.data;
  }
}
