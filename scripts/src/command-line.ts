import { Command, CommanderError } from 'commander';

/**
 * The exit code of a command line a script cannot run: unknown flag, bad value, missing value.
 * The shell's convention for a usage error, and the CLI's (EXIT.usage in packages/cli).
 */
export const USAGE_EXIT_CODE = 2;

/** A command line a script cannot run; reported as its message on one line, no stack. */
export class UsageError extends Error {
  override name = 'UsageError';

  constructor(
    message: string,
    /** USAGE_EXIT_CODE unless a script promised another before it had this parser. */
    readonly exitCode = USAGE_EXIT_CODE,
  ) {
    super(message);
  }
}

/**
 * A script's command line, parsed with commander as the CLI's is. `label` prefixes its error
 * lines; `invocation` is how a person runs it (`npm run bench --`), the first word of its usage.
 */
export class ScriptCommand extends Command {
  constructor(
    readonly label: string,
    invocation: string,
    description: string,
  ) {
    super(invocation);
    this.description(description).helpOption('-h, --help', 'show this usage and exit');
  }
}

export interface CommandOutput {
  out: (text: string) => void;
  err: (text: string) => void;
}

const STANDARD_OUTPUT: CommandOutput = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

export type CommandLine<Options> = { options: Options } | { exitCode: number };

/**
 * Parses `args` (without node and the script) with `command`, then `read` turns what commander
 * parsed into the script's options, throwing a UsageError for what commander cannot check (one
 * flag against another). `--help` prints the usage to stdout and gives exit code 0; a usage
 * error prints one line to stderr, `<label>: <what is wrong> (usage: …)`, and gives exit code
 * 2; the caller exits with it. Option parsers may throw a UsageError too: commander lets any
 * error but its own through.
 */
export function parseCommandLine<Options>(
  command: ScriptCommand,
  args: readonly string[],
  read: (command: ScriptCommand) => Options,
  output: CommandOutput = STANDARD_OUTPUT,
): CommandLine<Options> {
  // Commander's own exits become exceptions, and its error output is ours to word (one line).
  command.exitOverride().configureOutput({ writeOut: output.out, writeErr: output.err, outputError: () => undefined });
  try {
    command.parse([...args], { from: 'user' });
    return { options: read(command) };
  } catch (error) {
    if (error instanceof CommanderError && error.code === 'commander.helpDisplayed') return { exitCode: 0 };
    if (!(error instanceof CommanderError) && !(error instanceof UsageError)) throw error;
    output.err(`${command.label}: ${oneLine(error.message)} (usage: ${command.name()} ${command.usage()}; --help lists the options)\n`);
    return { exitCode: error instanceof UsageError ? error.exitCode : USAGE_EXIT_CODE };
  }
}

/**
 * parseCommandLine for a script's entry point: the options, or the process exits with the
 * code (after the help or the error line).
 */
export function parseProcessArguments<Options>(command: ScriptCommand, read: (command: ScriptCommand) => Options): Options {
  const parsed = parseCommandLine(command, process.argv.slice(2), read);
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  return parsed.options;
}

/** Commander's message on one line, without its `error: ` prefix or the quotes around flags. */
function oneLine(message: string): string {
  return message
    .replace(/^error: /, '')
    .replace(/'(-[^']*)'/g, '$1')
    .replace(/\s*\n\s*/g, ' ')
    .trim();
}

/** `--name N` as a positive integer; `_` and `,` may group digits (20_000, 20,000). */
export function positiveInteger(flag: string): (raw: string) => number {
  return (raw) => {
    const value = Number(raw.replaceAll('_', '').replaceAll(',', ''));
    if (!Number.isSafeInteger(value) || value < 1) throw new UsageError(`${flag} needs a positive integer, got "${raw}"`);
    return value;
  };
}

/** `--name N` as a number above 0 (fractions allowed). */
export function positiveNumber(flag: string): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value <= 0) throw new UsageError(`${flag} needs a positive number, got "${raw}"`);
    return value;
  };
}

/** `--name N` as a number of at least 0 (fractions allowed). */
export function nonNegativeNumber(flag: string): (raw: string) => number {
  return (raw) => {
    const value = Number(raw);
    if (!Number.isFinite(value) || value < 0) throw new UsageError(`${flag} needs a number ≥ 0, got "${raw}"`);
    return value;
  };
}
