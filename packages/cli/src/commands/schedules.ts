import type { Schedule } from '@taskforge/client';
import { Option, type Command } from 'commander';
import { CliError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { formatSchedule, formatScheduleTable } from '../format/schedule-format.js';
import { integerOption, isUuid, jsonOption } from '../parse-values.js';

interface AddFlags {
  cron: string;
  task: string;
  timezone?: string;
  payload?: unknown;
  priority?: number;
  maxRetries?: number;
  timeoutMs?: number;
  missedTicks?: 'run_once' | 'skip';
  paused?: boolean;
}

/** `schedules list | get | add | pause | resume | delete`; a schedule is named by its id or its (unique) name. */
export function registerSchedules(program: Command, context: CommandContext): void {
  const schedules = program.command('schedules').description('recurring schedules: cron expressions that make tasks');

  schedules
    .command('list')
    .description('every schedule, by name')
    .action(async () => {
      const list = await context.client().schedules.list();
      const output = context.output();
      if (output.json) return list.forEach((schedule) => output.result(schedule, ''));
      if (list.length === 0) output.note('no schedules');
      else output.text(`${formatScheduleTable(list)}\n`);
    });

  schedules
    .command('get')
    .description('show one schedule')
    .argument('<id|name>', 'the schedule id or name')
    .action(async (ref: string) => {
      const schedule = await resolve(context, ref);
      context.output().result(schedule, () => formatSchedule(schedule));
    });

  schedules
    .command('add')
    .description('create a schedule')
    .argument('<name>', 'a unique name')
    .requiredOption('--cron <expression>', '5 fields (minute hour day month weekday), or 6 with seconds first')
    .requiredOption('--task <task_name>', 'the task each tick makes')
    .option('--timezone <zone>', 'IANA time zone the expression is read in (default UTC)')
    .option('--payload <json>', 'payload of every task it makes', jsonOption)
    .option('--priority <n>', 'priority of its tasks', integerOption(-2_147_483_648, 2_147_483_647))
    .option('--max-retries <n>', 'max_retries of its tasks', integerOption(0, 1_000))
    .option('--timeout-ms <n>', 'time limit of one attempt of its tasks', integerOption(1, 7 * 86_400_000))
    .addOption(new Option('--missed-ticks <policy>', 'what ticks missed while no worker ran make').choices(['run_once', 'skip']))
    .option('--paused', 'create it paused')
    .action(async (name: string, flags: AddFlags) => {
      const body = {
        name,
        cron: flags.cron,
        task_name: flags.task,
        timezone: flags.timezone,
        payload: flags.payload,
        priority: flags.priority,
        max_retries: flags.maxRetries,
        timeout_ms: flags.timeoutMs,
        missed_ticks: flags.missedTicks,
        paused: flags.paused,
      };
      const created = await context.client().schedules.create(defined(body));
      context
        .output()
        .result(
          created,
          () => `created schedule ${created.name} (${created.id}), next run ${created.paused ? 'paused' : created.next_run_at}`,
        );
    });

  for (const [action, done] of [
    ['pause', 'paused'],
    ['resume', 'resumed'],
  ] as const) {
    schedules
      .command(action)
      .description(action === 'pause' ? 'stop a schedule making tasks' : 'let a paused schedule make tasks again, from the next tick')
      .argument('<id|name>', 'the schedule id or name')
      .action(async (ref: string) => {
        const { id } = await resolve(context, ref);
        const schedule = await context.client().schedules[action](id);
        context.output().result(schedule, () => `${done} ${schedule.name}${schedule.paused ? '' : `, next run ${schedule.next_run_at}`}`);
      });
  }

  schedules
    .command('delete')
    .description('delete a schedule (the tasks it made stay)')
    .argument('<id|name>', 'the schedule id or name')
    .action(async (ref: string) => {
      const { id, name } = await resolve(context, ref);
      await context.client().schedules.delete(id);
      context.output().result({ id, name, deleted: true }, `deleted schedule ${name}`);
    });
}

/** A UUID is taken as an id; anything else is looked up by name (names are unique). */
async function resolve(context: CommandContext, ref: string): Promise<Schedule> {
  const client = context.client();
  if (isUuid(ref)) return await client.schedules.get(ref);
  const match = (await client.schedules.list()).find((schedule) => schedule.name === ref);
  if (!match) throw new CliError(`no schedule is named ${JSON.stringify(ref)}`, EXIT.refused);
  return match;
}

function defined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
