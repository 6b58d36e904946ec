import { BadRequestException } from '@nestjs/common';
import type { z } from 'zod';

export interface FieldProblem {
  /** For a problem inside one item of a list (a batch): that item's position, so clients need not parse `field`. */
  index?: number;
  field: string;
  message: string;
}

/** One line per problem, each naming its field: `max_retries: must be an integer`. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): FieldProblem[] {
  return issues.flatMap((issue) => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ field: [...issue.path, key].join('.'), message: 'is not a known field' }));
    }
    return [{ field: issue.path.join('.') || 'body', message: issue.message }];
  });
}

/** As describeIssues, adding `index` to each problem inside an item of the list at `listField`. */
export function describeListIssues(listField: string): (issues: readonly z.core.$ZodIssue[]) => FieldProblem[] {
  return (issues) =>
    issues.flatMap((issue) => {
      const [field, index] = issue.path;
      const problems = describeIssues([issue]);
      return field === listField && typeof index === 'number' ? problems.map((problem) => ({ index, ...problem })) : problems;
    });
}

/** A 400 whose message lists every problem and whose `errors` carries them one by one. */
export function validationFailed(problems: FieldProblem[]): BadRequestException {
  return new BadRequestException({
    statusCode: 400,
    error: 'Bad Request',
    message: problems.map((p) => `${p.field} ${p.message}`).join('; '),
    errors: problems,
  });
}
