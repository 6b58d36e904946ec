import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';

interface CompareOptions {
  runs: number;
  only: Set<string> | null;
  json: boolean;
  jobs: number;
  enqueues: number;
  latencyJobs: number;
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

describe("bench/compare's command line (graphile-bench.mjs)", () => {
  it('has the documented defaults and takes every flag', () => {
    expect(parse().parsed).toEqual({ options: { runs: 3, only: null, json: false, jobs: 20_000, enqueues: 5_000, latencyJobs: 300 } });
    expect(parse('--runs=5', '--only', 'a,C-TUNED', '--json', '--jobs', '100', '--enqueues', '200', '--latency-jobs', '30').parsed).toEqual(
      { options: { runs: 5, only: new Set(['A', 'C-tuned']), json: true, jobs: 100, enqueues: 200, latencyJobs: 30 } },
    );
  });

  it('prints its usage on --help, exit code 0', () => {
    const { parsed, out } = parse('--help');
    expect(parsed).toEqual({ exitCode: 0 });
    expect(out).toMatch(/^Usage: node graphile-bench\.mjs \[options\]\n/);
    for (const flag of ['--runs <N>', '--only <LIST>', '--json', '--jobs <N>', '--enqueues <N>', '--latency-jobs <N>'])
      expect(out).toContain(flag);
  });

  it.each([
    [['--runs', '0'], '--runs must be a positive integer, got "0"'],
    [['--only', 'Z'], '--only: unknown workload Z; known: A, A-tuned, A2, A2-tuned, B, C, C-tuned'],
    [['--fast'], 'unknown option --fast'],
  ])('refuses %j in one line, exit code 2', (argv, message) => {
    const { parsed, out, err } = parse(...argv);
    expect(parsed).toEqual({ exitCode: 2 });
    expect(out).toBe('');
    expect(err).toBe(`graphile-bench: ${message} (usage: node graphile-bench.mjs [options]; --help lists the options)\n`);
  });
});
