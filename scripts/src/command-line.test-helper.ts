import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseCommandLine, type CommandLine, type ScriptCommand } from './command-line.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface Parsed<Options> {
  result: CommandLine<Options>;
  /** What went to stdout (the help) and to stderr (the error line). */
  out: string;
  err: string;
}

/** parseCommandLine in the test's process, its output caught instead of printed. */
export function parseWith<Options>(command: ScriptCommand, args: string[], read: (command: ScriptCommand) => Options): Parsed<Options> {
  let out = '';
  let err = '';
  const result = parseCommandLine(command, args, read, { out: (text) => (out += text), err: (text) => (err += text) });
  return { result, out, err };
}

/** The options, failing the test with what was printed when parsing did not give any. */
export function optionsOf<Options>(parsed: Parsed<Options>): Options {
  if ('exitCode' in parsed.result) throw new Error(`exit ${parsed.result.exitCode}: ${parsed.err}${parsed.out}`);
  return parsed.result.options;
}

/**
 * Runs a built script (`scripts/dist/<script>`) as users do, from the repository root. DATABASE_URL
 * points where nothing answers: a command line that is only parsed must not need a database.
 */
export function runBuiltScript(script: string, args: string[]): { code: number | null; stdout: string; stderr: string } {
  const run = spawnSync(process.execPath, [`scripts/dist/${script}`, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' },
    encoding: 'utf8',
    timeout: 60_000,
  });
  if (run.error) throw run.error;
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

/** No stack frame (`    at …`) and no more than one line: how a usage error reads. */
export function isOneLine(text: string): boolean {
  return text.endsWith('\n') && text.trimEnd().split('\n').length === 1 && !/^\s+at /m.test(text);
}
