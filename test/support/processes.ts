import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export { waitFor } from './wait-for.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export interface ServiceProcess {
  child: ChildProcess;
  /** Everything the process wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves with the exit code (or the signal's name) once it exits. */
  exited: Promise<number | string>;
}

/**
 * Runs `node <script>` from the repository root with extra environment variables. `launcher`
 * goes before node, such as `ip netns exec <namespace>`, which execs node in its place (so the
 * child is node itself, and killing it kills node).
 */
export function startNodeScript(
  script: string,
  env: Record<string, string>,
  args: string[] = [],
  options: { launcher?: string[] } = {},
): ServiceProcess {
  const [command, ...before] = [...(options.launcher ?? []), process.execPath];
  const child = spawn(command!, [...before, script, ...args], {
    cwd: REPO_ROOT,
    env: { ...process.env, DATABASE_URL: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const exited = new Promise<number | string>((resolve) => {
    child.once('exit', (code, signal) => resolve(code ?? signal ?? 'unknown'));
  });
  return { child, output: () => output, exited };
}
