import { configSchema } from '@taskforge/core/internal';
import { UsageError } from '../bench/options.js';

export { UsageError };

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

export const USAGE = `usage: npm run soak -- [--minutes N] [--rate N] [--workers N] [--sample-seconds N] [--warmup-seconds N]
                       [--fail-percent N] [--retention-completed D] [--retention-failed D]
                       [--retention-interval-ms N] [--json FILE]

  --minutes N               how long tasks are submitted (default 10; fractions allowed)
  --rate N                  tasks per second through POST /tasks/batch, one batch every ${TICK_MS} ms (default 1000)
  --workers N               worker processes (default 2)
  --sample-seconds N        seconds between samples (default 10)
  --warmup-seconds N        the verdict ignores the first max(N s, 20 % of the run) (default 120)
  --fail-percent N          share of 'fail' tasks with 2 retries; the rest are 'noop' (default 5)
  --retention-completed D   TASK_RETENTION_COMPLETED of the workers (default 1m)
  --retention-failed D      TASK_RETENTION_FAILED of the workers (default 1m)
  --retention-interval-ms N TASK_RETENTION_INTERVAL_MS of the workers (default 10000)
  --json FILE               also write the series and the verdict to FILE

Uses DATABASE_URL when set, else PostgreSQL on 127.0.0.1:5432 when it answers, else the embedded
PostgreSQL; always in a scratch database, dropped at the end. Exits 0 when the verdict is steady,
1 when it is not (or inconclusive), 2 on a usage error.`;

/** `--name value` or `--name=value`; anything unknown or malformed is a UsageError. */
export function parseSoakOptions(args: readonly string[]): SoakOptions | 'help' {
  const options: SoakOptions = {
    minutes: 10,
    rate: 1_000,
    workers: 2,
    sampleSeconds: 10,
    warmupSeconds: 120,
    failPercent: 5,
    retentionCompleted: '1m',
    retentionFailed: '1m',
    retentionIntervalMs: 10_000,
    json: undefined,
  };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const split = arg.startsWith('--') && arg.includes('=');
    const flag = split ? arg.slice(0, arg.indexOf('=')) : arg;
    const value = (): string => {
      const next = split ? arg.slice(arg.indexOf('=') + 1) : args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--minutes':
        options.minutes = positiveNumber(flag, value());
        break;
      case '--rate':
        options.rate = positiveNumber(flag, value());
        break;
      case '--workers':
        options.workers = positiveInteger(flag, value());
        break;
      case '--sample-seconds':
        options.sampleSeconds = positiveNumber(flag, value());
        break;
      case '--warmup-seconds':
        options.warmupSeconds = nonNegativeNumber(flag, value());
        break;
      case '--fail-percent':
        options.failPercent = nonNegativeNumber(flag, value());
        if (options.failPercent > 100) throw new UsageError(`${flag} must be at most 100`);
        break;
      case '--retention-completed':
        options.retentionCompleted = workerSetting(flag, 'TASK_RETENTION_COMPLETED', value());
        break;
      case '--retention-failed':
        options.retentionFailed = workerSetting(flag, 'TASK_RETENTION_FAILED', value());
        break;
      case '--retention-interval-ms':
        options.retentionIntervalMs = Number(workerSetting(flag, 'TASK_RETENTION_INTERVAL_MS', value()));
        break;
      case '--json':
        options.json = value();
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  if ((options.rate * TICK_MS) / 1_000 > MAX_TASKS_PER_TICK) {
    throw new UsageError(
      `--rate can be at most ${(MAX_TASKS_PER_TICK * 1_000) / TICK_MS} (${MAX_TASKS_PER_TICK} tasks per ${TICK_MS} ms batch)`,
    );
  }
  if (options.sampleSeconds > options.minutes * 60) throw new UsageError('--sample-seconds must not exceed the run (--minutes × 60)');
  return options;
}

function positiveNumber(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} needs a positive number, got "${raw}"`);
  return value;
}

function nonNegativeNumber(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} needs a number ≥ 0, got "${raw}"`);
  return value;
}

function positiveInteger(flag: string, raw: string): number {
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} needs a positive integer, got "${raw}"`);
  return value;
}

/** Checked here by the workers' own schema, so a bad value fails now rather than when the workers start. */
function workerSetting(
  flag: string,
  variable: 'TASK_RETENTION_COMPLETED' | 'TASK_RETENTION_FAILED' | 'TASK_RETENTION_INTERVAL_MS',
  raw: string,
): string {
  const parsed = configSchema.shape[variable].safeParse(raw);
  if (!parsed.success) throw new UsageError(`${flag} (${variable}) ${parsed.error.issues[0]?.message ?? 'is invalid'}`);
  return raw;
}
