import { describe, expect, it } from 'vitest';
import { isOneLine, optionsOf, parseWith, runBuiltScript } from '../command-line.test-helper.js';
import { chaosCommand, readChaosOptions } from './options.js';

const parse = (...args: string[]) => parseWith(chaosCommand(), args, readChaosOptions);

describe("npm run chaos's command line", () => {
  it('has the documented defaults', () => {
    expect(optionsOf(parse())).toEqual({ duration: 60, workers: 3, rate: 50, killEvery: 4, restartDbEvery: 20, drainTimeout: 180 });
  });

  it('takes every flag, any number of at least 0', () => {
    expect(
      optionsOf(
        parse(
          '--duration',
          '120',
          '--workers',
          '2',
          '--rate=12.5',
          '--kill-every',
          '1',
          '--restart-db-every',
          '0',
          '--drain-timeout',
          '30',
        ),
      ),
    ).toEqual({ duration: 120, workers: 2, rate: 12.5, killEvery: 1, restartDbEvery: 0, drainTimeout: 30 });
  });

  it.each([
    [['--duration', '-1'], '--duration needs a number ≥ 0, got "-1"'],
    [['--rate', 'fast'], '--rate needs a number ≥ 0, got "fast"'],
    [['--kil-every', '2'], 'unknown option --kil-every (Did you mean --kill-every?)'],
  ])('refuses %j in one line, exit code 2', (args, message) => {
    const parsed = parse(...args);
    expect(parsed.result).toEqual({ exitCode: 2 });
    expect(parsed.err).toBe(`chaos: ${message} (usage: npm run chaos -- [options]; --help lists the options)\n`);
  });

  it('lists every flag with its default in --help', () => {
    const { out } = parse('--help');
    expect(out).toMatch(/^Usage: npm run chaos -- \[options\]\n/);
    const text = out.replace(/\s+/g, ' ');
    for (const [flag, value] of [
      ['--duration <S>', 60],
      ['--workers <N>', 3],
      ['--rate <N>', 50],
      ['--kill-every <S>', 4],
      ['--restart-db-every <S>', 20],
      ['--drain-timeout <S>', 180],
    ] as const) {
      expect(text).toMatch(new RegExp(`${flag} .*?\\(default: ${value}\\)`));
    }
  });

  it('as the built script: usage on --help (exit 0), one line and exit code 2 on an unknown flag, no stack trace', () => {
    const help = runBuiltScript('chaos/chaos.js', ['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run chaos -- \[options\]\n/);
    expect(help.stderr).toBe('');
    const bad = runBuiltScript('chaos/chaos.js', ['--bogus', '1']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(isOneLine(bad.stderr), bad.stderr).toBe(true);
  });
});
