import { NotFoundError } from '@taskforge/client';
import { Option, type Command } from 'commander';
import { UsageError } from '../cli-error.js';
import type { CommandContext } from '../command-context.js';
import { parseDuration } from '../duration.js';
import { EXIT, worstOutcome, type ExitCode } from '../exit-codes.js';
import { ProgressBar } from '../progress-bar.js';
import { readInput } from '../read-input.js';
import { isUuid } from '../parse-values.js';
import { waitForTasks, type WaitOutcome, type WaitResult } from '../wait-for-tasks.js';
import { taskId } from './tasks-inspect.js';

const EXIT_OF: Record<WaitOutcome, ExitCode> = {
  completed: EXIT.ok,
  failed: EXIT.badOutcome,
  cancelled: EXIT.badOutcome,
  timed_out: EXIT.timedOut,
  not_found: EXIT.refused,
};

interface WaitFlags {
  timeout: string;
  interval: string;
  idsFile?: string;
}

export function registerTasksWait(tasks: Command, context: CommandContext): void {
  tasks
    .command('wait')
    .description('wait until tasks finish; the exit code says how they ended')
    .argument('[ids...]', 'task ids')
    .option(
      '--ids-file <path>',
      'more ids, one per line: bare, or JSON objects with an "id" (the output of tasks add --file --json); - reads stdin',
    )
    .addOption(new Option('--timeout <duration>', 'give up after this long (500ms, 60s, 5m, 1h)').default('60s'))
    .addOption(new Option('--interval <duration>', 'pause between looks at unfinished tasks').default('500ms'))
    .addHelpText(
      'after',
      `
Exit code: 0 all completed; 1 some failed for good or were cancelled; 3 some id does not
exist; 5 the timeout passed first (several apply: 3, then 1, then 5). Stdout: one line per task
that did not complete, then a summary (--json: {"id","outcome","task"} per id, in order).`,
    )
    .action(async (args: string[], flags: WaitFlags) => {
      const timeoutMs = parseDuration(flags.timeout, '--timeout');
      const intervalMs = parseDuration(flags.interval, '--interval');
      const ids = [...args.map(taskId), ...(flags.idsFile ? parseIdsFile(await readInput(flags.idsFile), flags.idsFile) : [])];
      if (ids.length === 0) throw new UsageError('tasks wait needs task ids (arguments or --ids-file)');
      const unique = [...new Set(ids)];
      const client = context.client();
      const bar =
        unique.length > 1 ? new ProgressBar({ stream: context.streams.stderr, label: 'waiting', total: unique.length }) : undefined;
      bar?.update(0);
      const results = await waitForTasks(unique, {
        deadline: Date.now() + timeoutMs,
        intervalMs,
        get: async (id) => {
          try {
            return await client.get(id);
          } catch (error) {
            if (error instanceof NotFoundError) return null;
            throw error;
          }
        },
        onProgress: (settled, unsuccessful) => bar?.update(settled, unsuccessful ? `${unsuccessful} not completed` : ''),
      });
      bar?.finish();
      report(context, results);
      context.exitCode = worstOutcome(results.map((result) => EXIT_OF[result.outcome]));
    });
}

function report(context: CommandContext, results: WaitResult[]): void {
  const output = context.output();
  if (output.json) {
    for (const result of results) output.result(result, '');
    return;
  }
  for (const { id, outcome, task } of results) {
    if (outcome === 'completed') continue;
    const detail = outcome === 'timed_out' ? `still ${task?.status ?? 'unseen'}` : (task?.last_error ?? '');
    output.text(`${id}  ${outcome}${detail ? `  ${detail}` : ''}\n`);
  }
  const counts = new Map<WaitOutcome, number>();
  for (const { outcome } of results) counts.set(outcome, (counts.get(outcome) ?? 0) + 1);
  const parts = [...counts].map(([outcome, count]) => `${count} ${outcome.replace('_', ' ')}`);
  output.text(`${results.length === 1 ? results[0]!.id : `${results.length} tasks`}: ${parts.join(', ')}\n`);
}

/** One id per line: a bare UUID, or a JSON object with an `id` field. Blank lines are skipped. */
export function parseIdsFile(text: string, source: string): string[] {
  const ids: string[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '') return;
    let id: unknown = line;
    if (line.startsWith('{')) {
      try {
        id = (JSON.parse(line) as { id?: unknown }).id;
      } catch {
        id = undefined;
      }
    }
    if (typeof id !== 'string' || !isUuid(id))
      throw new UsageError(`${source}: line ${index + 1} is not a task id or a JSON object with an "id"`);
    ids.push(id);
  });
  return ids;
}
