import { TASK_STATUSES, type TaskStatus } from '@taskforge/client';
import { Option, type Command } from 'commander';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { formatTable } from '../format/table.js';
import { formatTask, TASK_TABLE_HEADERS, taskRow } from '../format/task-format.js';
import { collect, collectList, integerOption, isUuid } from '../parse-values.js';

const STATUSES: readonly string[] = TASK_STATUSES;
/** The API's largest page. */
const MAX_PAGE = 500;

interface ListOptions {
  status?: string[];
  name?: string[];
  limit: number;
  all?: boolean;
  order: 'asc' | 'desc';
}

/** A task id as the API takes it; a typo is a usage error (2), not a round trip ending in 400. */
export function taskId(id: string): string {
  if (!isUuid(id)) throw new UsageError(`${JSON.stringify(id)} is not a task id (a UUID such as 6f1c2d4e-8a9b-4c3d-9e8f-0a1b2c3d4e5f)`);
  return id;
}

export function registerTasksInspect(tasks: Command, context: CommandContext): void {
  tasks
    .command('get')
    .description('show one task: its state, payload, result and attempts')
    .argument('<id>', 'the task id')
    .action(async (id: string) => {
      const task = await context.client().get(taskId(id));
      context.output().result(task, () => formatTask(task));
    });

  tasks
    .command('list')
    .description('list tasks, newest first, as a table (--json: one JSON object per line)')
    .option('--status <statuses>', `filter by status, comma-separated or repeated: ${STATUSES.join(', ')}`, collectList)
    .option('--name <task_name>', 'filter by task name (repeat for several)', collect)
    .addOption(new Option('--limit <n>', 'show at most this many tasks').argParser(integerOption(1, 1_000_000)).default(50))
    .option('--all', 'show every matching task (pages through them all)')
    .addOption(new Option('--order <order>', 'by creation time').choices(['desc', 'asc']).default('desc'))
    .action(async (options: ListOptions) => {
      const unknown = (options.status ?? []).filter((status) => !STATUSES.includes(status));
      if (unknown.length) throw new UsageError(`--status must be among ${STATUSES.join(', ')}, got ${unknown.join(', ')}`);
      const output = context.output();
      const wanted = options.all ? Infinity : options.limit;
      const rows: string[][] = [];
      let shown = 0;
      const pages = context.client().list({
        status: options.status as TaskStatus[] | undefined,
        task_name: options.name,
        order: options.order,
        limit: Math.min(MAX_PAGE, wanted),
      });
      for await (const task of pages) {
        if (shown >= wanted) break;
        shown += 1;
        if (output.json) output.result(task, '');
        else rows.push(taskRow(task));
      }
      if (output.json) return;
      if (shown === 0) output.note('no tasks match');
      else output.text(`${formatTable(TASK_TABLE_HEADERS, rows)}\n`);
      if (!options.all && shown === wanted) output.note(`showing the first ${shown}; --limit n or --all for more`);
    });
}
