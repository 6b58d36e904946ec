import { Option } from 'commander';
import { positiveInteger, ScriptCommand, UsageError } from '../command-line.js';

/** The workloads, in the order they run; `--only` picks a subset but never reorders. */
export const WORKLOAD_NAMES = ['S', 'A', 'A2', 'B-core', 'B-http', 'C-core', 'C-http', 'D', 'E'] as const;
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

/** `npm run bench`'s command line; `npm run bench -- --help` prints its usage. */
export function benchCommand(): ScriptCommand {
  return new ScriptCommand(
    'bench',
    'npm run bench --',
    "Throughput, latency and memory of taskforge's public paths (worker and API processes, core's addTask); every drain checked exactly-once.",
  )
    .option('--runs <N>', 'runs per workload, medians reported', positiveInteger('--runs'), 3)
    .option('--tasks <N>', 'tasks drained by A, A2 and E', positiveInteger('--tasks'), 20_000)
    .addOption(
      new Option('--only <LIST>', `comma-separated subset of ${WORKLOAD_NAMES.join(', ')}`)
        .argParser(workloadList)
        .default([...WORKLOAD_NAMES], 'all, in that order'),
    )
    .option('--json', 'one JSON object per workload and line on stdout, nothing else')
    .addHelpText('after', '\nUses DATABASE_URL when set, else the embedded PostgreSQL; always in a scratch database.');
}

/** The options commander parsed, already checked by the option parsers above. */
export function readBenchOptions(command: ScriptCommand): BenchOptions {
  const { json, ...options } = command.opts<Omit<BenchOptions, 'json'> & { json?: true }>();
  return { ...options, json: json ?? false };
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
