import { describe, expect, it } from 'vitest';
import { isOneLine, optionsOf, parseWith, runBuiltScript } from '../command-line.test-helper.js';
import { benchCommand, readBenchOptions, WORKLOAD_NAMES } from './options.js';

const parse = (...args: string[]) => parseWith(benchCommand(), args, readBenchOptions);

describe("npm run bench's command line", () => {
  it('defaults to 3 runs of 20,000 tasks, every workload, a table', () => {
    expect(optionsOf(parse())).toEqual({ runs: 3, tasks: 20_000, json: false, only: [...WORKLOAD_NAMES] });
  });

  it('takes every flag, as `--name value` or `--name=value`', () => {
    expect(optionsOf(parse('--runs', '5', '--tasks=20_000', '--only', 'c-core, A', '--json'))).toEqual({
      runs: 5,
      tasks: 20_000,
      json: true,
      only: ['A', 'C-core'],
    });
    expect(optionsOf(parse('--tasks', '1,000')).tasks).toBe(1_000);
  });

  it('runs the workloads --only names in their own order, whatever the order given', () => {
    expect(optionsOf(parse('--only', 'E,a2,B-http,E')).only).toEqual(['A2', 'B-http', 'E']);
  });

  it.each([
    [['--runs', '0'], '--runs needs a positive integer, got "0"'],
    [['--tasks', 'lots'], '--tasks needs a positive integer, got "lots"'],
    [['--only', 'Z'], 'unknown workload "Z"; known: S, A, A2, B-core, B-http, C-core, C-http, D, E'],
    [['--only', ','], '--only needs at least one workload'],
    [['--runs'], 'option --runs <N> argument missing'],
    [['--fast'], 'unknown option --fast'],
  ])('refuses %j in one line, exit code 2', (args, message) => {
    const parsed = parse(...args);
    expect(parsed.result).toEqual({ exitCode: 2 });
    expect(parsed.err).toContain(`bench: ${message} (usage: npm run bench -- [options]`);
    expect(isOneLine(parsed.err)).toBe(true);
  });

  it('lists every flag with its default in --help', () => {
    const { result, out } = parse('--help');
    expect(result).toEqual({ exitCode: 0 });
    expect(out).toMatch(/^Usage: npm run bench -- \[options\]\n/);
    expect(out).toMatch(/--runs <N> +runs per workload, medians reported \(default: 3\)/);
    expect(out).toMatch(/--tasks <N> +tasks drained by A, A2 and E \(default: 20000\)/);
    expect(out).toMatch(/--only <LIST> +comma-separated subset of S, A, A2, B-core/);
    expect(out).toContain('(default: all, in that order)');
    expect(out).toMatch(/--json +one JSON object per workload and line on stdout/);
    expect(out).toContain('Uses DATABASE_URL when set, else the embedded PostgreSQL; always in a scratch database.');
  });

  it('as the built script: usage on --help (exit 0), one line and exit code 2 on an unknown flag, no stack trace', () => {
    const help = runBuiltScript('bench.js', ['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run bench -- \[options\]\n/);
    const bad = runBuiltScript('bench.js', ['--fast']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toContain('bench: unknown option --fast');
    expect(isOneLine(bad.stderr), bad.stderr).toBe(true);
  });
});
