/** The workloads, in the order they run; `--only` picks a subset but never reorders. */
export const WORKLOAD_NAMES = ['A', 'A2', 'B-core', 'B-http', 'C-core', 'C-http', 'D', 'E'] as const;
export type WorkloadName = (typeof WORKLOAD_NAMES)[number];

export interface BenchOptions {
  /** Runs per workload; the report shows medians. */
  runs: number;
  /** Drain size of A, A2 and E. */
  tasks: number;
  /** One JSON object per workload on stdout, nothing else. */
  json: boolean;
  only: WorkloadName[];
}

export const USAGE = `usage: npm run bench -- [--runs N] [--tasks N] [--only A,C-core,…] [--json]

  --runs N     runs per workload, medians reported (default 3)
  --tasks N    tasks drained by A, A2 and E (default 20000)
  --only LIST  comma-separated subset of ${WORKLOAD_NAMES.join(', ')}
  --json       one JSON object per workload and line on stdout, nothing else

Uses DATABASE_URL when set, else the embedded PostgreSQL; always in a scratch database.`;

export class UsageError extends Error {
  override name = 'UsageError';
}

/**
 * Parses the command line with `parse`. `--help` prints the usage, a UsageError prints its
 * message and the usage; either way the caller gets the exit code (0 or 2) instead of options.
 */
export function parseCommandLine<Options>(
  parse: (args: string[]) => Options | 'help',
  usage: string,
): { options: Options } | { exitCode: number } {
  let options: Options | 'help';
  try {
    options = parse(process.argv.slice(2));
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n\n${usage}`);
    return { exitCode: 2 };
  }
  if (options === 'help') {
    console.log(usage);
    return { exitCode: 0 };
  }
  return { options };
}

/** `--name value` or `--name=value`; anything unknown or malformed is a UsageError. */
export function parseBenchOptions(args: readonly string[]): BenchOptions | 'help' {
  const options: BenchOptions = { runs: 3, tasks: 20_000, json: false, only: [...WORKLOAD_NAMES] };
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=') ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)] : [arg, undefined];
    const value = (): string => {
      const next = inline ?? args[++i];
      if (next === undefined) throw new UsageError(`${flag} needs a value`);
      return next;
    };
    switch (flag) {
      case '--help':
      case '-h':
        return 'help';
      case '--json':
        options.json = true;
        break;
      case '--runs':
        options.runs = positiveInteger(flag, value());
        break;
      case '--tasks':
        options.tasks = positiveInteger(flag, value());
        break;
      case '--only':
        options.only = workloadList(value());
        break;
      default:
        throw new UsageError(`unknown option ${arg}`);
    }
  }
  return options;
}

function positiveInteger(flag: string, raw: string): number {
  const value = Number(raw.replaceAll('_', '').replaceAll(',', ''));
  if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} needs a positive integer, got "${raw}"`);
  return value;
}

function workloadList(raw: string): WorkloadName[] {
  const wanted = new Set<WorkloadName>();
  for (const item of raw
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean)) {
    const name = WORKLOAD_NAMES.find((known) => known.toLowerCase() === item.toLowerCase());
    if (!name) throw new UsageError(`unknown workload "${item}"; known: ${WORKLOAD_NAMES.join(', ')}`);
    wanted.add(name);
  }
  if (wanted.size === 0) throw new UsageError('--only needs at least one workload');
  return WORKLOAD_NAMES.filter((name) => wanted.has(name));
}
