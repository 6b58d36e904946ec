/**
 * The API refuses a body with one message listing every problem, each starting with its
 * field: `max_retries must be an integer; scheduled_at is not a valid date-time` (see
 * apps/api/src/common/validation-error.ts). This splits it so a form can show each problem
 * beside its input; problems naming no field of the form stay in `other`.
 */
export interface FieldErrors<Field extends string> {
  byField: Partial<Record<Field, string>>;
  other: string[];
}

export function splitFieldErrors<Field extends string>(message: string, fields: readonly Field[]): FieldErrors<Field> {
  const result: FieldErrors<Field> = { byField: {}, other: [] };
  for (const problem of message.split('; ').filter(Boolean)) {
    const space = problem.indexOf(' ');
    const field = (space > 0 ? problem.slice(0, space) : '') as Field;
    if (fields.includes(field)) {
      const text = problem.slice(space + 1);
      result.byField[field] = result.byField[field] ? `${result.byField[field]}; ${text}` : text;
    } else {
      result.other.push(problem);
    }
  }
  return result;
}
