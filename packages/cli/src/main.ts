import { CommanderError } from 'commander';
import { CommandContext } from './command-context.js';
import { loadEnvFile } from './config.js';
import { describeFailure } from './errors.js';
import { EXIT, type ExitCode } from './exit-codes.js';
import type { Streams } from './output.js';
import { buildProgram } from './program.js';

/** Runs one command line (without `node` and the script) and returns its exit code; never throws. */
export async function run(argv: readonly string[], streams?: Streams, env: NodeJS.ProcessEnv = process.env): Promise<ExitCode> {
  const context = new CommandContext(streams, env);
  try {
    loadEnvFile();
    await buildProgram(context).parseAsync([...argv], { from: 'user' });
    return context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Commander has already printed its message (or the help/version asked for).
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? EXIT.ok : EXIT.usage;
    }
    const failure = describeFailure(error);
    context.streams.stderr.write(`taskforge: ${failure.message}\n`);
    return failure.exitCode;
  }
}
