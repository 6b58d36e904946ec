import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../support/processes.js';

export const CLI_BIN = join(REPO_ROOT, 'packages/cli/dist/bin.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
  /** stdout as JSON-lines, each parsed (throws on a line that is not JSON: stdout must be clean). */
  json<T = any>(): T[];
}

export interface CliOptions {
  env?: Record<string, string>;
  /** Written to stdin, then closed. */
  input?: string;
  /** Defaults to a scratch folder with no .env, so the developer's own .env never leaks in. */
  cwd?: string;
  /** The command to run instead of `node packages/cli/dist/bin.js` (e.g. npx). */
  command?: [string, ...string[]];
}

const quietCwd = mkdtempSync(join(tmpdir(), 'taskforge-cli-'));

/**
 * Runs the built CLI as users do, as a child process, with only the variables given (and
 * PATH/HOME), so no API_URL, API_TOKEN or DATABASE_URL of the machine is picked up.
 */
export function runCli(args: readonly string[], options: CliOptions = {}): Promise<CliRun> {
  const [command, ...before] = options.command ?? [process.execPath, CLI_BIN];
  const child = spawn(command, [...before, ...args], {
    cwd: options.cwd ?? quietCwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  child.stdin.end(options.input ?? '');
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('close', (code) =>
      resolve({
        code,
        stdout,
        stderr,
        json: () =>
          stdout
            .split('\n')
            .filter((line) => line !== '')
            .map((line) => JSON.parse(line)),
      }),
    );
  });
}
