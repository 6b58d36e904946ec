import type { Command } from 'commander';
import type { CommandContext } from '../command-context.js';
import { describeFailure } from '../errors.js';
import { parseDuration } from '../duration.js';
import { renderStats, type StatsSnapshot } from '../format/stats-frame.js';

/** Home, draw, erase what the previous (longer) frame left below: no flicker, the last frame stays after Ctrl-C. */
const HOME = '\x1b[H';
const ERASE_LINE_END = '\x1b[K';
const ERASE_BELOW = '\x1b[J';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

export function registerStats(program: Command, context: CommandContext): void {
  program
    .command('stats')
    .description('a live view of the queue: counts per status, lag, throughput, workers (Ctrl-C quits)')
    .option('--once', 'print one frame and exit (also when stdout is not a terminal, and with --json)')
    .option('--interval <duration>', 'time between refreshes', '1s')
    .action(async (options: { once?: boolean; interval: string }) => {
      const intervalMs = parseDuration(options.interval, '--interval');
      const output = context.output();
      const first = await snapshot(context);
      if (output.json) return output.result({ stats: first.stats, workers: first.workers, throughput: first.minutes }, '');
      if (options.once || !output.stdoutIsTTY) return output.text(frame(context, first));
      await live(context, first, intervalMs);
    });
}

async function snapshot(context: CommandContext): Promise<StatsSnapshot> {
  const client = context.client();
  const [stats, workers, minutes] = await Promise.all([client.stats(), client.workers(), client.throughput()]);
  return { stats, workers, minutes };
}

function frame(context: CommandContext, snap: StatsSnapshot, footer = ''): string {
  const header = `taskforge stats  ${context.apiUrl}  ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}${footer}`;
  return renderStats(snap, header);
}

/**
 * Redraws every interval until Ctrl-C. A failed refresh keeps the last frame and says why
 * at its top, and the view carries on: a monitor should outlive an API restart.
 */
async function live(context: CommandContext, first: StatsSnapshot, intervalMs: number): Promise<void> {
  const stdout = context.streams.stdout;
  let last = first;
  let problem = '';
  const draw = () => {
    const text = frame(context, last, problem ? `  (refresh failed: ${problem}; retrying)` : '  Ctrl-C to quit');
    stdout.write(`${HOME}${text.replace(/\n/g, `${ERASE_LINE_END}\n`)}${ERASE_BELOW}`);
  };
  stdout.write(`${HIDE_CURSOR}\x1b[2J`);
  draw();
  await new Promise<void>((resolve) => {
    let timer: NodeJS.Timeout;
    let stopped = false;
    const stop = () => {
      stopped = true;
      clearTimeout(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      stdout.write(SHOW_CURSOR);
      resolve();
    };
    const tick = async () => {
      try {
        last = await snapshot(context);
        problem = '';
      } catch (error) {
        problem = describeFailure(error).message;
      }
      if (stopped) return;
      draw();
      timer = setTimeout(() => void tick(), intervalMs);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    timer = setTimeout(() => void tick(), intervalMs);
  });
}
