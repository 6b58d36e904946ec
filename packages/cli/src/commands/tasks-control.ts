import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { statusText } from '../format/task-format.js';
import { isoDateTimeOption } from '../parse-values.js';
import { taskId } from './tasks-inspect.js';

/** The commands that change one task's state. Each prints the outcome, or the API's 409 reason (exit 3). */
export function registerTasksControl(tasks: Command, context: CommandContext): void {
  tasks
    .command('cancel')
    .description('cancel a pending task (--force: also a running one, aborted on its worker)')
    .argument('<id>', 'the task id')
    .option('--force', 'also cancel a running task, or a failed one awaiting its retry')
    .action(async (id: string, options: { force?: boolean }) => {
      await context.client().cancel(taskId(id), { force: options.force === true });
      context.output().result({ id, status: 'cancelled' }, `cancelled ${id}`);
    });

  tasks
    .command('retry')
    .description('put a failed or cancelled task back in the queue, due now, attempts reset')
    .argument('<id>', 'the task id')
    .action(async (id: string) => {
      const task = await context.client().retry(taskId(id));
      context.output().result(task, `${id} is ${statusText(task)} again, due now`);
    });

  tasks
    .command('run-now')
    .description('make a pending task (or a failed one awaiting its retry) due at once')
    .argument('<id>', 'the task id')
    .action(async (id: string) => {
      const task = await context.client().runNow(taskId(id));
      context.output().result(task, `${id} is due now (${statusText(task)})`);
    });

  tasks
    .command('reschedule')
    .description('move a pending task to another time')
    .argument('<id>', 'the task id')
    .argument('<run_at>', 'ISO 8601 date-time with a time zone', isoDateTimeOption)
    .action(async (id: string, runAt: string) => {
      const task = await context.client().reschedule(taskId(id), runAt);
      context.output().result(task, `${id} is due at ${task.scheduled_at}`);
    });
}
