import { spawn } from 'node:child_process';

/**
 * The environment minus npm's own `npm_*` variables. Under `npm test` or `npm exec` they carry
 * the outer command's settings (npm_config_local_prefix is the repository root), and an npm
 * started with them would, for example, install into the repository instead of its cwd.
 */
export function envWithoutNpm(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^npm_/i.test(name)));
  return { ...env, ...extra };
}

/** `npm <args>` without blocking the event loop (an install takes seconds); resolves with stdout. */
export function npm(args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', args, { cwd, env: envWithoutNpm(), stdio: ['ignore', 'pipe', 'pipe'] });
    let [stdout, stderr] = ['', ''];
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      if (code === 0) resolve(stdout);
      else reject(new Error(`npm ${args.join(' ')} exited ${code ?? signal}:\n${stderr}\n${stdout}`));
    });
  });
}
