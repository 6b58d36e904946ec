import { describe, expect, it } from 'vitest';
import { isOneLine, optionsOf, parseWith, runBuiltScript } from './command-line.test-helper.js';
import { migrateCommand, readMigrateOptions } from './migrate-options.js';

const parse = (...args: string[]) => parseWith(migrateCommand(), args, readMigrateOptions);

describe("the migrations' command line", () => {
  it('takes up, down and down --all', () => {
    expect(optionsOf(parse('up'))).toEqual({ direction: 'up', all: false });
    expect(optionsOf(parse('down'))).toEqual({ direction: 'down', all: false });
    expect(optionsOf(parse('down', '--all'))).toEqual({ direction: 'down', all: true });
    expect(optionsOf(parse('--all', 'down'))).toEqual({ direction: 'down', all: true });
  });

  it('answers a missing or unknown direction with its usage and exit code 1, as it always has', () => {
    for (const [args, message] of [
      [[], 'needs a direction: up or down'],
      [['sideways'], 'the direction is up or down, got "sideways"'],
    ] as const) {
      const parsed = parse(...args);
      expect(parsed.result).toEqual({ exitCode: 1 });
      expect(parsed.err).toBe(`migrate: ${message} (usage: migrate up | down [--all]; --help lists the options)\n`);
    }
  });

  it('answers an unknown flag or a second direction with exit code 2', () => {
    expect(parse('down', '--everything').err).toContain('migrate: unknown option --everything');
    expect(parse('down', '--everything').result).toEqual({ exitCode: 2 });
    expect(parse('up', 'down').result).toEqual({ exitCode: 2 });
  });

  it('explains itself in --help', () => {
    const { result, out } = parse('--help');
    expect(result).toEqual({ exitCode: 0 });
    expect(out).toMatch(/^Usage: migrate up \| down \[--all\]\n/);
    expect(out).toMatch(/--all +with down: revert every migration\n/);
    expect(out).toContain('npm run migrate:up, npm run migrate:down [-- --all], or node scripts/dist/migrate.js up | down [--all]');
  });

  it('as the built script: usage on --help (exit 0), one line and exit code 2 on an unknown flag, no stack trace', () => {
    const help = runBuiltScript('migrate.js', ['--help']);
    expect(help.code, help.stderr).toBe(0);
    expect(help.stdout).toMatch(/^Usage: migrate up \| down \[--all\]\n/);
    const bad = runBuiltScript('migrate.js', ['down', '--everything']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(isOneLine(bad.stderr), bad.stderr).toBe(true);
  });
});
