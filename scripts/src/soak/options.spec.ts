import { describe, expect, it } from 'vitest';
import { isOneLine, optionsOf, parseWith, runBuiltScript } from '../command-line.test-helper.js';
import { readSoakOptions, soakCommand } from './options.js';

const parse = (...args: string[]) => parseWith(soakCommand(), args, readSoakOptions);

describe("npm run soak's command line", () => {
  it('has the documented defaults', () => {
    expect(optionsOf(parse())).toEqual({
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
    });
  });

  it('takes every flag', () => {
    expect(
      optionsOf(
        parse(
          '--minutes=0.5',
          '--rate',
          '50',
          '--workers',
          '3',
          '--sample-seconds',
          '5',
          '--warmup-seconds',
          '0',
          '--fail-percent',
          '100',
          '--retention-completed',
          '30s',
          '--retention-failed',
          'off',
          '--retention-interval-ms',
          '500',
          '--json',
          'series.json',
        ),
      ),
    ).toEqual({
      minutes: 0.5,
      rate: 50,
      workers: 3,
      sampleSeconds: 5,
      warmupSeconds: 0,
      failPercent: 100,
      retentionCompleted: '30s',
      retentionFailed: 'off',
      retentionIntervalMs: 500,
      json: 'series.json',
    });
  });

  it.each([
    [['--minutes', '0'], '--minutes needs a positive number, got "0"'],
    [['--workers', '1.5'], '--workers needs a positive integer, got "1.5"'],
    [['--warmup-seconds', '-1'], '--warmup-seconds needs a number ≥ 0, got "-1"'],
    [['--fail-percent', '101'], '--fail-percent must be at most 100'],
    [
      ['--retention-completed', 'soon'],
      '--retention-completed (TASK_RETENTION_COMPLETED) must be a duration like 30s, 15m, 12h or 7d, or off',
    ],
    [['--retention-interval-ms', '5'], '--retention-interval-ms (TASK_RETENTION_INTERVAL_MS) must be an integer from 100 to 86400000'],
    [['--rate', '10001'], '--rate can be at most 10000 (1000 tasks per 100 ms batch)'],
    [['--minutes', '0.1', '--sample-seconds', '7'], '--sample-seconds must not exceed the run (--minutes × 60)'],
    [['--speed', 'max'], 'unknown option --speed'],
  ])('refuses %j in one line, exit code 2', (args, message) => {
    const parsed = parse(...args);
    expect(parsed.result).toEqual({ exitCode: 2 });
    expect(parsed.err).toContain(`soak: ${message}`);
    expect(parsed.err).toContain('(usage: npm run soak -- [options]; --help lists the options)');
    expect(isOneLine(parsed.err)).toBe(true);
  });

  it('lists every flag with its default in --help', () => {
    const { result, out } = parse('-h');
    expect(result).toEqual({ exitCode: 0 });
    expect(out).toMatch(/^Usage: npm run soak -- \[options\]\n/);
    for (const flag of [
      '--minutes <N>',
      '--rate <N>',
      '--workers <N>',
      '--sample-seconds <N>',
      '--warmup-seconds <N>',
      '--fail-percent <N>',
      '--retention-completed <D>',
      '--retention-failed <D>',
      '--retention-interval-ms <N>',
      '--json <FILE>',
    ]) {
      expect(out).toContain(flag);
    }
    expect(out.replace(/\s+/g, ' ')).toContain('tasks per second through POST /tasks/batch, one batch every 100 ms (default: 1000)');
    expect(out).toContain('1 when it is not (or inconclusive), 2 on a usage error.');
  });

  it('as the built script: usage on --help (exit 0), one line and exit code 2 on an unknown flag, no stack trace', () => {
    const help = runBuiltScript('soak.js', ['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run soak -- \[options\]\n/);
    const bad = runBuiltScript('soak.js', ['--speed', 'max']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(isOneLine(bad.stderr), bad.stderr).toBe(true);
  });
});
