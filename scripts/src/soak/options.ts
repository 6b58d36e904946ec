import { configSchema } from '@taskforge/core/internal';
import { nonNegativeNumber, positiveInteger, positiveNumber, ScriptCommand, UsageError } from '../command-line.js';

export interface SoakOptions {
  minutes: number;
  /** Tasks per second submitted through POST /tasks/batch. */
  rate: number;
  workers: number;
  sampleSeconds: number;
  /** The verdict ignores samples before max(this, 20 % of the run). */
  warmupSeconds: number;
  /** Share of the tasks that are `fail` tasks with retries (the rest are `noop`). */
  failPercent: number;
  /** Passed to the workers as TASK_RETENTION_COMPLETED, TASK_RETENTION_FAILED and TASK_RETENTION_INTERVAL_MS. */
  retentionCompleted: string;
  retentionFailed: string;
  retentionIntervalMs: number;
  /** Where to write the series and the verdict as JSON; undefined: nowhere. */
  json: string | undefined;
}

/** The submitter sends one batch per tick: 100 ms keeps 1,000 tasks/s at 10 requests/s of 100 tasks. */
export const TICK_MS = 100;
/** POST /tasks/batch refuses more (MAX_BATCH_SIZE in apps/api). */
const MAX_TASKS_PER_TICK = 1_000;

/** `npm run soak`'s command line; `npm run soak -- --help` prints its usage. */
export function soakCommand(): ScriptCommand {
  return new ScriptCommand(
    'soak',
    'npm run soak --',
    'The longevity soak: the real API and workers on a scratch database with short retention, tasks submitted at a steady rate; ' +
      'one row per sample, then a verdict on whether the tasks table stayed bounded and latency flat.',
  )
    .option('--minutes <N>', 'how long tasks are submitted (fractions allowed)', positiveNumber('--minutes'), 10)
    .option('--rate <N>', `tasks per second through POST /tasks/batch, one batch every ${TICK_MS} ms`, positiveNumber('--rate'), 1_000)
    .option('--workers <N>', 'worker processes', positiveInteger('--workers'), 2)
    .option('--sample-seconds <N>', 'seconds between samples', positiveNumber('--sample-seconds'), 10)
    .option('--warmup-seconds <N>', 'the verdict ignores the first max(N s, 20 % of the run)', nonNegativeNumber('--warmup-seconds'), 120)
    .option('--fail-percent <N>', "share of 'fail' tasks with 2 retries; the rest are 'noop'", percent('--fail-percent'), 5)
    .option(
      '--retention-completed <D>',
      'TASK_RETENTION_COMPLETED of the workers',
      workerSetting('--retention-completed', 'TASK_RETENTION_COMPLETED'),
      '1m',
    )
    .option(
      '--retention-failed <D>',
      'TASK_RETENTION_FAILED of the workers',
      workerSetting('--retention-failed', 'TASK_RETENTION_FAILED'),
      '1m',
    )
    .option(
      '--retention-interval-ms <N>',
      'TASK_RETENTION_INTERVAL_MS of the workers',
      (raw: string) => Number(workerSetting('--retention-interval-ms', 'TASK_RETENTION_INTERVAL_MS')(raw)),
      10_000,
    )
    .option('--json <FILE>', 'also write the series and the verdict to FILE')
    .addHelpText(
      'after',
      `
Uses DATABASE_URL when set, else PostgreSQL on 127.0.0.1:5432 when it answers, else the embedded
PostgreSQL; always in a scratch database, dropped at the end. Exits 0 when the verdict is steady,
1 when it is not (or inconclusive), 2 on a usage error.`,
    );
}

/** The options commander parsed, and the checks that span two of them. */
export function readSoakOptions(command: ScriptCommand): SoakOptions {
  const { json, ...options } = command.opts<Omit<SoakOptions, 'json'> & { json?: string }>();
  if ((options.rate * TICK_MS) / 1_000 > MAX_TASKS_PER_TICK) {
    throw new UsageError(
      `--rate can be at most ${(MAX_TASKS_PER_TICK * 1_000) / TICK_MS} (${MAX_TASKS_PER_TICK} tasks per ${TICK_MS} ms batch)`,
    );
  }
  if (options.sampleSeconds > options.minutes * 60) throw new UsageError('--sample-seconds must not exceed the run (--minutes × 60)');
  return { ...options, json };
}

function percent(flag: string): (raw: string) => number {
  const atLeastZero = nonNegativeNumber(flag);
  return (raw) => {
    const value = atLeastZero(raw);
    if (value > 100) throw new UsageError(`${flag} must be at most 100`);
    return value;
  };
}

/** Checked here by the workers' own schema, so a bad value fails now rather than when the workers start. */
function workerSetting(
  flag: string,
  variable: 'TASK_RETENTION_COMPLETED' | 'TASK_RETENTION_FAILED' | 'TASK_RETENTION_INTERVAL_MS',
): (raw: string) => string {
  return (raw) => {
    const parsed = configSchema.shape[variable].safeParse(raw);
    if (!parsed.success) throw new UsageError(`${flag} (${variable}) ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
    return raw;
  };
}
