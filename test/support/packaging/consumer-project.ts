import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../processes.js';
import { npm } from './npm.js';

/** An empty project outside the repository that installed our packages from their tarballs. */
export interface ConsumerProject {
  dir: string;
  /** Writes a file into the project. */
  write(name: string, content: string): string;
  /** Runs `command` in the project (a .mjs with this Node, or a path under node_modules/.bin) and collects its output. */
  run(command: string[], env?: Record<string, string>): Promise<{ code: number | string; stdout: string; stderr: string }>;
  remove(): void;
}

/**
 * `npm pack`s the workspaces into a temporary folder, makes an empty project beside them and
 * `npm install`s the tarballs there, plus `extra` packages (such as @types/node), as a user
 * would after they were published. Dependencies come from npm's cache where it has them;
 * optional ones (the embedded PostgreSQL's 60 MB of binaries) and install scripts are left out.
 */
export async function installPackedWorkspaces(workspaces: string[], extra: string[] = []): Promise<ConsumerProject> {
  const root = mkdtempSync(join(tmpdir(), 'taskforge-pack-'));
  try {
    const tarballs = join(root, 'tarballs');
    mkdirSync(tarballs);
    const packArgs = ['pack', '--json', '--pack-destination', tarballs, ...workspaces.flatMap((folder) => ['--workspace', folder])];
    const packed = JSON.parse(await npm(packArgs, REPO_ROOT)) as Array<{ filename: string }>;
    const dir = join(root, 'consumer');
    mkdirSync(dir);
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'taskforge-consumer', private: true, type: 'module' }, null, 2));
    const install = ['install', '--no-audit', '--no-fund', '--prefer-offline', '--omit=optional', '--ignore-scripts'];
    await npm([...install, ...packed.map((pack) => join(tarballs, pack.filename)), ...extra], dir);
    return consumer(dir, root);
  } catch (error) {
    rmSync(root, { recursive: true, force: true });
    throw error;
  }
}

function consumer(dir: string, root: string): ConsumerProject {
  return {
    dir,
    write(name, content) {
      writeFileSync(join(dir, name), content);
      return join(dir, name);
    },
    run(command, env = {}) {
      const [file, ...args] = command[0]!.endsWith('.mjs') ? [process.execPath, ...command] : command;
      return new Promise((resolve, reject) => {
        const child = spawn(file!, args, { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
        let [stdout, stderr] = ['', ''];
        child.stdout.on('data', (chunk) => (stdout += chunk));
        child.stderr.on('data', (chunk) => (stderr += chunk));
        child.once('error', reject);
        child.once('close', (code, signal) => resolve({ code: code ?? signal ?? 'unknown', stdout, stderr }));
      });
    },
    remove() {
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** The first ```js block after the `<!-- marker -->` line of a README. */
export function readmeJsBlock(readmePath: string, marker: string): string {
  const text = readFileSync(readmePath, 'utf8');
  const at = text.indexOf(`<!-- ${marker} -->`);
  if (at === -1) throw new Error(`${readmePath} has no <!-- ${marker} --> line`);
  const block = /^```js[ \t]*\n([\s\S]*?)^```/m.exec(text.slice(at));
  if (!block) throw new Error(`${readmePath} has <!-- ${marker} --> but no \`\`\`js block after it`);
  return block[1]!;
}
