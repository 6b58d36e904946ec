/**
 * The shape of one task as POST /tasks takes it. Checked here before anything is sent, so a
 * mistake in line 9,000 of a file is found before line 1 is submitted; the API stays the
 * final judge (these rules follow apps/api/src/tasks/task-requests.ts, and a line they let
 * through that the API refuses is still reported with its line number).
 */
export interface TaskInput {
  task_name: string;
  payload?: unknown;
  scheduled_at?: string;
  priority?: number;
  max_retries?: number;
  timeout_ms?: number;
  idempotency_key?: string | null;
}

const INT32 = { min: -2_147_483_648, max: 2_147_483_647 };
const MAX_TIMEOUT_MS = 7 * 86_400_000;
const ISO_WITH_ZONE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/i;

type Check = (value: unknown) => string | null;

function integer(min: number, max: number): Check {
  return (value) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) return 'must be an integer';
    if (value < min || value > max) return `must be from ${min} to ${max}`;
    return null;
  };
}

function text(max: number, { trim }: { trim: boolean }): Check {
  return (value) => {
    if (typeof value !== 'string') return 'must be a string';
    const length = [...(trim ? value.trim() : value)].length;
    if (length === 0) return 'must not be empty';
    if (length > max) return `must be at most ${max} characters`;
    return null;
  };
}

export const isoDateTimeProblem: Check = (value) => {
  if (typeof value !== 'string' || !ISO_WITH_ZONE.test(value) || Number.isNaN(Date.parse(value))) {
    return 'must be an ISO 8601 date-time with a time zone, such as 2030-01-01T09:00:00Z';
  }
  return null;
};

const FIELDS: Record<keyof TaskInput, Check> = {
  task_name: text(255, { trim: true }),
  payload: () => null,
  scheduled_at: isoDateTimeProblem,
  priority: integer(INT32.min, INT32.max),
  max_retries: integer(0, 1_000),
  timeout_ms: integer(1, MAX_TIMEOUT_MS),
  idempotency_key: (value) => (value === null ? null : text(255, { trim: false })(value)),
};

/** The fields a task line may have: POST /tasks's body (a spec checks they are the API's). */
export const TASK_FIELDS = Object.keys(FIELDS) as (keyof TaskInput)[];

/** Every problem of one task object, as `field message` phrases; empty when it looks right. */
export function taskProblems(value: unknown): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return ['must be a JSON object with a task_name'];
  const task = value as Record<string, unknown>;
  const problems: string[] = [];
  if (task.task_name === undefined) problems.push('task_name is required');
  for (const [field, fieldValue] of Object.entries(task)) {
    const check = FIELDS[field as keyof TaskInput];
    if (!check) {
      problems.push(`${field} is not a known field (known: ${Object.keys(FIELDS).join(', ')})`);
      continue;
    }
    const problem = fieldValue === undefined ? null : check(fieldValue);
    if (problem) problems.push(`${field} ${problem}`);
  }
  return problems;
}
