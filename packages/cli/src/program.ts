import { createRequire } from 'node:module';
import { Command } from 'commander';
import { CommandContext } from './command-context.js';
import { DEFAULT_API_URL } from './config.js';
import { EXIT_CODES_HELP } from './exit-codes.js';
import { registerMigrate } from './commands/migrate.js';
import { registerSchedules } from './commands/schedules.js';
import { registerStats } from './commands/stats.js';
import { registerTasksAdd } from './commands/tasks-add.js';
import { registerTasksControl } from './commands/tasks-control.js';
import { registerTasksInspect } from './commands/tasks-inspect.js';
import { registerTasksWait } from './commands/tasks-wait.js';

const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const MORE_HELP = `
Environment (flags win; a .env file in the working directory is read too, real variables win):
  API_URL       the API's base URL (default ${DEFAULT_API_URL}); --api-url
  API_TOKEN     bearer token, when the API has one; --token
  DATABASE_URL  PostgreSQL URL, for migrate only (it never needs the API); --database-url

Output:
  Results go to stdout, messages and progress bars to stderr (bars only on a terminal).
  --json: stdout carries only JSON, one object, or one object per line for lists.

${EXIT_CODES_HELP}

Examples:
  taskforge tasks add send-email --payload '{"to":"a@example.com"}' --max-retries 5
  taskforge tasks add --file tasks.jsonl --json > submitted.jsonl
  taskforge tasks wait --ids-file submitted.jsonl --timeout 5m
  taskforge tasks list --status failed --name http --limit 20
  taskforge schedules add nightly --cron '0 3 * * *' --timezone Europe/Berlin --task report
  taskforge stats
  DATABASE_URL=postgres://localhost/taskforge taskforge migrate up`;

/**
 * The whole command tree. Commander's own exits are turned into exceptions (exitOverride) so
 * main decides every exit code; settings made here before the subcommands are inherited by them.
 */
export function buildProgram(context: CommandContext): Command {
  const { stdout, stderr } = context.streams;
  const program = new Command('taskforge')
    .description('The taskforge command line: submit, inspect, wait for and cancel tasks; schedules; a live view; migrations.')
    .version(version, '-V, --version')
    .option('--api-url <url>', `the API's base URL (default: API_URL or ${DEFAULT_API_URL})`)
    .option('--token <token>', 'bearer token (default: API_TOKEN)')
    .option('--json', 'machine output: only JSON on stdout (JSON-lines for lists)')
    .exitOverride()
    .configureOutput({
      writeOut: (text) => stdout.write(text),
      writeErr: (text) => stderr.write(text),
      outputError: (text, write) => write(`taskforge: ${text.replace(/^error: /, '')}`),
    })
    .showHelpAfterError('(add --help for usage)')
    .addHelpText('after', MORE_HELP)
    .hook('preAction', (_program, action) => context.configure(action.optsWithGlobals()));

  const tasks = program.command('tasks').description('submit, inspect, wait for and control tasks');
  registerTasksAdd(tasks, context);
  registerTasksInspect(tasks, context);
  registerTasksControl(tasks, context);
  registerTasksWait(tasks, context);
  registerSchedules(program, context);
  registerStats(program, context);
  registerMigrate(program, context);
  return program;
}
