// The command line of graphile-bench.mjs, parsed with commander as taskforge's own scripts are
// (scripts/src/command-line.ts): --help prints the usage (exit 0); a usage error prints one line,
// no stack, and exits 2.
import { Command, CommanderError } from 'commander';
import { WORKLOADS } from './workloads.mjs';

class UsageError extends Error {}

const positiveInteger = (flag) => (raw) => {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${flag} must be a positive integer, got ${JSON.stringify(raw)}`);
  return n;
};

/** `--only A,C`: a Set of workload names, any case; null (the default) runs them all. */
function workloadSet(raw) {
  const names = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const known = new Map(WORKLOADS.map((w) => [w.name.toLowerCase(), w.name]));
  const unknown = names.filter((n) => !known.has(n.toLowerCase()));
  if (names.length === 0 || unknown.length > 0) {
    throw new UsageError(`--only: unknown workload ${unknown.join(', ') || '(none)'}; known: ${WORKLOADS.map((w) => w.name).join(', ')}`);
  }
  return new Set(names.map((n) => known.get(n.toLowerCase())));
}

export function benchCompareCommand() {
  return new Command('node graphile-bench.mjs')
    .description("graphile-worker on this machine, with the same workloads as taskforge's npm run bench (see README.md).")
    .helpOption('-h, --help', 'show this usage and exit')
    .option('--runs <N>', 'runs per workload; the median is reported', positiveInteger('--runs'), 3)
    .option('--only <LIST>', `a subset of the workloads: ${WORKLOADS.map((w) => w.name).join(', ')} (default: all)`, workloadSet)
    .option('--json', 'stdout gets one JSON object per workload and line; the table goes to stderr')
    .option('--jobs <N>', 'jobs drained in A, A-tuned, A2 and A2-tuned', positiveInteger('--jobs'), 20_000)
    .option('--enqueues <N>', 'addJob calls in B', positiveInteger('--enqueues'), 5_000)
    .option('--latency-jobs <N>', 'jobs in C and C-tuned', positiveInteger('--latency-jobs'), 300)
    .addHelpText(
      'after',
      '\nDATABASE_URL names the server (default postgres://postgres@127.0.0.1:5432/postgres); the bench works in a scratch database there.',
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
    output.err(`graphile-bench: ${message} (usage: node graphile-bench.mjs [options]; --help lists the options)\n`);
    return { exitCode: 2 };
  }
  const { runs, only, json, jobs, enqueues, latencyJobs } = command.opts();
  return { options: { runs, only: only ?? null, json: json ?? false, jobs, enqueues, latencyJobs } };
}
