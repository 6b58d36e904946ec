import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';

interface CompareOptions {
  runs: number;
  json: boolean;
  jobs: number;
  drainTimeoutS: number;
  systems: string[];
  workloads: string[];
}
type Parsed = { options: CompareOptions } | { exitCode: number };

// Plain JavaScript of a package outside the workspaces; commander resolves from bench/compare's
// node_modules once `npm run bench:compare` installed them, else from the repository's.
const { parseOptions } = (await import(`${REPO_ROOT}bench/compare/options.mjs`)) as {
  parseOptions: (argv: string[], output: { out: (text: string) => void; err: (text: string) => void }) => Parsed;
};

function parse(...argv: string[]): { parsed: Parsed; out: string; err: string } {
  let out = '';
  let err = '';
  const parsed = parseOptions(argv, { out: (text) => (out += text), err: (text) => (err += text) });
  return { parsed, out, err };
}

const ALL_SYSTEMS = ['taskforge', 'graphile-worker', 'pg-boss', 'bullmq'];
const ALL_WORKLOADS = ['A', 'A2', 'B', 'C'];

describe("bench/compare's command line (compare.mjs)", () => {
  it('has the documented defaults: 3 runs of every workload for every system', () => {
    expect(parse().parsed).toEqual({
      options: { runs: 3, json: false, jobs: 20_000, drainTimeoutS: 60, systems: ALL_SYSTEMS, workloads: ALL_WORKLOADS },
    });
  });

  it('takes every flag, as `--name value` or `--name=value`', () => {
    expect(parse('--runs=5', '--json', '--jobs', '100', '--drain-timeout', '30').parsed).toEqual({
      options: { runs: 5, json: true, jobs: 100, drainTimeoutS: 30, systems: ALL_SYSTEMS, workloads: ALL_WORKLOADS },
    });
  });

  it.each([
    ['pg-boss', ['pg-boss'], ALL_WORKLOADS],
    ['C,a', ALL_SYSTEMS, ['A', 'C']],
    ['BullMQ, c, taskforge,A2', ['taskforge', 'bullmq'], ['A2', 'C']],
  ])('--only %j selects systems and workloads, each kind all when left out, in the canonical order', (only, systems, workloads) => {
    const { parsed } = parse('--only', only);
    expect('options' in parsed && { systems: parsed.options.systems, workloads: parsed.options.workloads }).toEqual({ systems, workloads });
  });

  it('prints its usage on --help, exit code 0', () => {
    const { parsed, out } = parse('--help');
    expect(parsed).toEqual({ exitCode: 0 });
    expect(out).toMatch(/^Usage: node compare\.mjs \[options\]\n/);
    for (const flag of ['--runs <N>', '--only <LIST>', '--json', '--jobs <N>', '--drain-timeout <S>']) expect(out).toContain(flag);
  });

  it.each([
    [['--runs', '0'], '--runs must be a positive integer, got "0"'],
    [['--only', 'Z'], '--only: unknown name Z; systems: taskforge, graphile-worker, pg-boss, bullmq; workloads: A, A2, B, C'],
    [['--only', ','], '--only: unknown name (none); systems: taskforge, graphile-worker, pg-boss, bullmq; workloads: A, A2, B, C'],
    [['--fast'], 'unknown option --fast'],
  ])('refuses %j in one line, exit code 2', (argv, message) => {
    const { parsed, out, err } = parse(...argv);
    expect(parsed).toEqual({ exitCode: 2 });
    expect(out).toBe('');
    expect(err).toBe(`bench:compare: ${message} (usage: node compare.mjs [options]; --help lists the options)\n`);
  });
});
