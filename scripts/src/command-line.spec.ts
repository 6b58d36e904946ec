import { describe, expect, it } from 'vitest';
import { nonNegativeNumber, positiveInteger, positiveNumber, ScriptCommand, USAGE_EXIT_CODE, UsageError } from './command-line.js';
import { isOneLine, optionsOf, parseWith, runBuiltScript } from './command-line.test-helper.js';

function sample(): ScriptCommand {
  return new ScriptCommand('sample', 'npm run sample --', 'A sample script.')
    .option('--count <N>', 'how many', positiveInteger('--count'), 1)
    .option('--verbose', 'say more');
}
const read = (command: ScriptCommand) => command.opts<{ count: number; verbose?: true }>();

describe('parseCommandLine', () => {
  it('gives the options, defaults filled in, for `--name value` and `--name=value`', () => {
    expect(optionsOf(parseWith(sample(), [], read))).toEqual({ count: 1 });
    expect(optionsOf(parseWith(sample(), ['--count', '4', '--verbose'], read))).toEqual({ count: 4, verbose: true });
    expect(optionsOf(parseWith(sample(), ['--count=5'], read))).toEqual({ count: 5 });
  });

  it('prints the usage to stdout on --help or -h and gives exit code 0', () => {
    for (const flag of ['--help', '-h']) {
      const parsed = parseWith(sample(), ['--count', '2', flag], read);
      expect(parsed.result).toEqual({ exitCode: 0 });
      expect(parsed.err).toBe('');
      expect(parsed.out).toMatch(/^Usage: npm run sample -- \[options\]\n\nA sample script\.\n\nOptions:\n/);
      expect(parsed.out).toContain('--count <N>  how many (default: 1)');
      expect(parsed.out).toContain('-h, --help   show this usage and exit');
    }
  });

  it.each([
    [['--bogus'], 'sample: unknown option --bogus'],
    [['--cont', '3'], 'sample: unknown option --cont (Did you mean --count?)'],
    [['--count'], 'sample: option --count <N> argument missing'],
    [['--count', 'many'], 'sample: --count needs a positive integer, got "many"'],
    [['stray'], 'sample: too many arguments. Expected 0 arguments but got 1.'],
  ])('answers %j with one line on stderr and exit code 2', (args, message) => {
    const parsed = parseWith(sample(), args, read);
    expect(parsed.result).toEqual({ exitCode: USAGE_EXIT_CODE });
    expect(parsed.out).toBe('');
    expect(parsed.err).toBe(`${message} (usage: npm run sample -- [options]; --help lists the options)\n`);
    expect(isOneLine(parsed.err)).toBe(true);
  });

  it('reports a UsageError thrown while reading the options the same way, with its own exit code if it has one', () => {
    const tooMany = parseWith(sample(), ['--count', '9'], (command) => {
      if (read(command).count > 5) throw new UsageError('--count must be at most 5');
    });
    expect(tooMany.result).toEqual({ exitCode: 2 });
    expect(tooMany.err).toBe('sample: --count must be at most 5 (usage: npm run sample -- [options]; --help lists the options)\n');
    const own = parseWith(sample(), [], () => {
      throw new UsageError('needs something', 1);
    });
    expect(own.result).toEqual({ exitCode: 1 });
  });

  it('lets any other error through: a bug is not a usage error', () => {
    expect(() =>
      parseWith(sample(), [], () => {
        throw new TypeError('a bug');
      }),
    ).toThrow(TypeError);
  });
});

describe('the number parsers', () => {
  it('accept what they promise and name the flag and the value otherwise', () => {
    expect(positiveInteger('--n')('20_000')).toBe(20_000);
    expect(positiveInteger('--n')('20,000')).toBe(20_000);
    expect(() => positiveInteger('--n')('1.5')).toThrow('--n needs a positive integer, got "1.5"');
    expect(() => positiveInteger('--n')('0')).toThrow(UsageError);
    expect(positiveNumber('--n')('0.25')).toBe(0.25);
    expect(() => positiveNumber('--n')('0')).toThrow('--n needs a positive number, got "0"');
    expect(nonNegativeNumber('--n')('0')).toBe(0);
    expect(() => nonNegativeNumber('--n')('-1')).toThrow('--n needs a number ≥ 0, got "-1"');
    expect(() => nonNegativeNumber('--n')('x')).toThrow(UsageError);
  });
});

/** The scripts whose only flag is --help, as users run them (built, as a child process). */
describe.each([
  ['start.js', 'npm start --'],
  ['screenshots.js', 'npm run screenshots --'],
])('scripts/dist/%s', (script, invocation) => {
  it('prints its usage on --help and exits 0 without touching a database', () => {
    const run = runBuiltScript(script, ['--help']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout.startsWith(`Usage: ${invocation} [options]\n`)).toBe(true);
    expect(run.stderr).toBe('');
  });

  it('answers an unknown flag with one line and exit code 2, no stack trace', () => {
    const run = runBuiltScript(script, ['--bogus']);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('unknown option --bogus');
    expect(isOneLine(run.stderr), run.stderr).toBe(true);
  });
});
