// The command line of compare.mjs, parsed with commander as taskforge's own scripts are
// (scripts/src/command-line.ts): --help prints the usage (exit 0); a usage error prints one line,
// no stack, and exits 2.
import { Command, CommanderError } from 'commander';
import { WORKLOAD_NAMES } from './workloads.mjs';

/** Every system, in the order of the table's columns; taskforge is the one compared. */
export const SYSTEM_NAMES = ['taskforge', 'graphile-worker', 'pg-boss', 'bullmq'];

class UsageError extends Error {}

const positiveInteger = (flag) => (raw) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
};

/**
 * `--only pg-boss,A,C`: systems and workloads, any case, in any order. Either kind left out means
 * all of that kind; each list comes back in the canonical order.
 */
export function parseOnly(raw) {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const systems = new Set();
  const workloads = new Set();
  const unknown = [];
  for (const name of names) {
    const system = SYSTEM_NAMES.find((known) => known.toLowerCase() === name.toLowerCase());
    const workload = WORKLOAD_NAMES.find((known) => known.toLowerCase() === name.toLowerCase());
    if (system) systems.add(system);
    else if (workload) workloads.add(workload);
    else unknown.push(name);
  }
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(
      `--only: unknown name ${unknown.join(', ') || '(none)'}; systems: ${SYSTEM_NAMES.join(', ')}; workloads: ${WORKLOAD_NAMES.join(', ')}`,
    );
  }
  return {
    systems: systems.size ? SYSTEM_NAMES.filter((s) => systems.has(s)) : [...SYSTEM_NAMES],
    workloads: workloads.size ? WORKLOAD_NAMES.filter((w) => workloads.has(w)) : [...WORKLOAD_NAMES],
  };
}

export function benchCompareCommand() {
  return new Command('node compare.mjs')
    .description(
      'taskforge beside graphile-worker, pg-boss and BullMQ (on PostgreSQL), same workloads, same run, interleaved (see README.md).',
    )
    .helpOption('-h, --help', 'show this usage and exit')
    .option('--runs <N>', 'runs per workload and system, interleaved; medians reported', positiveInteger('--runs'), 3)
    .option('--only <LIST>', `systems (${SYSTEM_NAMES.join(', ')}) and/or workloads (${WORKLOAD_NAMES.join(', ')}); default all`, parseOnly)
    .option('--json', 'stdout gets one JSON object per line (each system and workload, then each row); the table goes to stderr')
    .option('--jobs <N>', 'jobs drained in A and A2', positiveInteger('--jobs'), 20_000)
    .option(
      '--drain-timeout <S>',
      'seconds a drain may take; one that has not finished by then is reported as partial',
      positiveInteger('--drain-timeout'),
      60,
    )
    .addHelpText(
      'after',
      '\nDATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); every system gets a scratch database there.',
    );
}

/**
 * The options, or `{ exitCode }` once the help or the error line is out: 0 after --help, 2 after
 * a usage error. `output` takes what would go to stdout and stderr.
 */
export function parseOptions(argv, output = { out: (text) => process.stdout.write(text), err: (text) => process.stderr.write(text) }) {
  const command = benchCompareCommand()
    .exitOverride()
    .configureOutput({ writeOut: output.out, writeErr: output.err, outputError: () => undefined });
  try {
    command.parse(argv, { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed') return { exitCode: 0 };
    if (!(error instanceof CommanderError) && !(error instanceof UsageError)) throw error;
    const message = error.message
      .replace(/^error: /, '')
      .replace(/'(-[^']*)'/g, '$1')
      .replace(/\s*\n\s*/g, ' ');
    output.err(`bench:compare: ${message} (usage: node compare.mjs [options]; --help lists the options)\n`);
    return { exitCode: 2 };
  }
  const { runs, only, json, jobs, drainTimeout } = command.opts();
  const selection = only ?? { systems: [...SYSTEM_NAMES], workloads: [...WORKLOAD_NAMES] };
  return { options: { runs, json: json ?? false, jobs, drainTimeoutS: drainTimeout, ...selection } };
}
