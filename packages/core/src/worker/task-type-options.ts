/** Most retries a task may have: the API's bound on max_retries, and DEFAULT_MAX_RETRIES's. */
export const MAX_RETRIES_LIMIT = 1_000;

/**
 * Settings of one task type, given by its handler (`@Task(name, options)` or
 * `register(name, handler, options)` in the worker app, or a TaskFunctionLookup in core).
 */
export interface TaskTypeOptions {
  /**
   * Per-attempt limit in milliseconds for tasks of this type submitted without a `timeout_ms`
   * of their own (a task's own value wins); replaces the worker's TASK_DEFAULT_TIMEOUT_MS.
   */
  timeoutMs?: number;
  /**
   * Most tasks of this type running at once in one worker process, on top of the worker's
   * overall concurrency (WORKER_MAX_CONCURRENT_TASKS). The worker never claims more of this
   * type than it has free slots for it, so its waiting tasks stay in the queue, where other
   * workers can take them.
   */
  concurrency?: number;
  /**
   * Retries for tasks of this type submitted without `max_retries` (a submitter's explicit
   * value wins; without either, DEFAULT_MAX_RETRIES). Applied when a worker with this handler
   * starts the task's first attempt, and fixed from then on.
   */
  maxRetries?: number;
}

const OPTION_RULES: Record<keyof TaskTypeOptions, { valid: (value: number) => boolean; must: string }> = {
  timeoutMs: { valid: (value) => value >= 1, must: 'must be a positive integer of milliseconds' },
  concurrency: { valid: (value) => value >= 1, must: 'must be a positive integer (most tasks of this type running at once in one worker)' },
  maxRetries: { valid: (value) => value >= 0 && value <= MAX_RETRIES_LIMIT, must: `must be an integer from 0 to ${MAX_RETRIES_LIMIT}` },
};

/**
 * What is wrong with a task type's options, one message per problem ("timeoutMs must be a
 * positive integer of milliseconds, got 0"); empty when nothing is. Unknown keys count too: a
 * misspelt `maxRetry` would otherwise be ignored in silence.
 */
export function taskTypeOptionsProblems(options: unknown): string[] {
  if (options === undefined) return [];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    return [`options must be an object, got ${describe(options)}`];
  }
  const problems: string[] = [];
  for (const [key, value] of Object.entries(options)) {
    const rule = OPTION_RULES[key as keyof TaskTypeOptions];
    if (!rule) {
      problems.push(`unknown option ${JSON.stringify(key)} (known: ${Object.keys(OPTION_RULES).join(', ')})`);
    } else if (value !== undefined && !(typeof value === 'number' && Number.isSafeInteger(value) && rule.valid(value))) {
      problems.push(`${key} ${rule.must}, got ${describe(value)}`);
    }
  }
  return problems;
}

/** Throws one error naming `owner` (say "@Task('x') on XHandler") and every problem of its options. */
export function checkTaskTypeOptions(owner: string, options: unknown): void {
  const problems = taskTypeOptionsProblems(options);
  if (problems.length > 0) throw new TypeError(`${owner}: ${problems.join('; ')}`);
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint' || value == null) return String(value);
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}
