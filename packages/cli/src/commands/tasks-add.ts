import type { CreateTaskRequest } from '@taskforge/client';
import { Option, type Command } from 'commander';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { integerOption, isoDateTimeOption, jsonOption } from '../parse-values.js';
import type { TaskInput } from '../task-fields.js';
import { submitFile } from './tasks-add-file.js';

interface AddOptions {
  file?: string;
  payload?: unknown;
  runAt?: string;
  priority?: number;
  maxRetries?: number;
  timeoutMs?: number;
  idempotencyKey?: string;
  batchSize: number;
}

const SINGLE_TASK_FLAGS = ['payload', 'runAt', 'priority', 'maxRetries', 'timeoutMs', 'idempotencyKey'] as const;

export function registerTasksAdd(tasks: Command, context: CommandContext): void {
  tasks
    .command('add')
    .description('submit a task, or every task of a JSON-lines file (--file)')
    .argument('[task_name]', 'the task to run (a name a worker has a handler for)')
    .option('--payload <json>', 'the payload, as JSON', jsonOption)
    .option('--run-at <iso>', 'when it becomes due, ISO 8601 with a time zone (default now)', isoDateTimeOption)
    .option('--priority <n>', 'higher runs first (default 0)', integerOption(-2_147_483_648, 2_147_483_647))
    .option('--max-retries <n>', "retries after the first attempt (default: the worker's DEFAULT_MAX_RETRIES)", integerOption(0, 1_000))
    .option('--timeout-ms <n>', 'time limit of one attempt, in ms', integerOption(1, 7 * 86_400_000))
    .option('--idempotency-key <key>', 'submitting the same key again returns the same task')
    .option('--file <path>', 'submit every line of a JSON-lines file (one task object per line; - reads stdin)')
    .addOption(new Option('--batch-size <n>', 'tasks per request with --file').argParser(integerOption(1, 1_000)).default(500))
    .addHelpText(
      'after',
      `
With --file, every line is checked before anything is sent; a bad line (its number and why)
means nothing is submitted (exit 2). Lines go in batches, in file order, stopping at the first
batch the API refuses: the report names exactly which lines were stored. Ids go to stdout, one
per line (with --json: {"line":N,"id":"…"} per stored line); progress goes to stderr.`,
    )
    .action(async (taskName: string | undefined, options: AddOptions) => {
      if (options.file !== undefined) {
        if (taskName !== undefined) throw new UsageError('give either a task_name or --file, not both');
        const given = SINGLE_TASK_FLAGS.filter((flag) => options[flag] !== undefined);
        if (given.length > 0) throw new UsageError(`--${kebab(given[0]!)} applies to one task; with --file, set it on each line`);
        context.exitCode = await submitFile(context, options.file, options.batchSize);
        return;
      }
      if (taskName === undefined) throw new UsageError('tasks add needs a task_name (or --file tasks.jsonl)');
      const task: TaskInput = {
        task_name: taskName,
        payload: options.payload,
        scheduled_at: options.runAt,
        priority: options.priority,
        max_retries: options.maxRetries,
        timeout_ms: options.timeoutMs,
        idempotency_key: options.idempotencyKey,
      };
      const { id, created } = await context.client().submit(withoutUndefined(task) as CreateTaskRequest);
      context.output().result({ id, created }, id);
      if (!created) context.output().note(`the idempotency key is held: ${id} is the task already holding it (nothing new stored)`);
    });
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`);
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
