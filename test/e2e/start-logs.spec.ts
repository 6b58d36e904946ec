import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stripVTControlCharacters } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { describeIfAvailable } from '../support/describe-if-available.js';
import { REPO_ROOT, startNodeScript, waitFor } from '../support/processes.js';
import { createTestDatabase } from '../support/test-database.js';

const scriptMissing = spawnSync('script', ['--version']).error
  ? 'script (util-linux) is not installed: the pretty logs of npm start on a terminal are not checked'
  : null;

/** `[HH:MM:SS.mmm] LEVEL (name): message`, pino-pretty's line. */
const PRETTY_LINE = /^\[\d\d:\d\d:\d\d\.\d{3}\] (INFO|WARN|ERROR|DEBUG|TRACE|FATAL) \((start|api|worker)\): /;

/** Patience for npm start on a loaded 2-core machine: it migrates, then starts two Node processes. */
const PATIENCE = { timeoutMs: 60_000 };

/** A fresh database and free ports: what `npm start` needs to come up. */
async function startEnvironment() {
  const db = await createTestDatabase({ migrate: false });
  const [apiPort, workerPort] = [await anyFreePort(), await anyFreePort()];
  return {
    db,
    env: { DATABASE_URL: db.url, API_PORT: String(apiPort), WORKER_PORT: String(workerPort), LOG_LEVEL: 'info' },
    async waitUntilUp() {
      await waitFor(
        'the API to be healthy',
        async () => (await fetch(`http://127.0.0.1:${apiPort}/monitor/health`)).ok || undefined,
        PATIENCE,
      );
      await waitFor(
        'the worker to be healthy',
        async () => (await fetch(`http://127.0.0.1:${workerPort}/health`)).ok || undefined,
        PATIENCE,
      );
    },
  };
}

/**
 * Runs `node <script>` from the repository root on a pseudo-terminal (`script` gives it one and
 * copies what it shows to its own stdout) until `ready` resolves, then stops it with SIGTERM.
 */
async function onTerminal(script: string, env: Record<string, string>, pidFile: string, ready: (shown: () => string) => Promise<unknown>) {
  const terminal = spawn('script', ['-q', '-e', '-c', `echo $$ > ${pidFile}; exec ${process.execPath} ${script}`, '/dev/null'], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', TERM: 'xterm', ...env },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let shown = '';
  terminal.stdout.on('data', (chunk: Buffer) => (shown += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => terminal.once('exit', (code) => resolve(code)));
  try {
    await ready(() => shown);
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
    const code = await exited;
    return {
      code,
      shown,
      lines: stripVTControlCharacters(shown)
        .split(/\r?\n/)
        .filter((text) => text.trim() !== ''),
    };
  } finally {
    if (terminal.exitCode === null) {
      // Failed before it stopped: the node inside the terminal would outlive `script`.
      try {
        process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGKILL');
      } catch {
        // It never started, or has already gone.
      }
      terminal.kill('SIGKILL');
    }
  }
}

/** The log lines of `npm start` (this process's, the API's and the worker's), as a person or a collector reads them. */
describe('the logs of npm start', { timeout: 150_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-start-logs-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are JSON lines, one object each, when stdout is not a terminal', async () => {
    const system = await startEnvironment();
    const run = startNodeScript('scripts/dist/start.js', system.env);
    let stdout = '';
    run.child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    try {
      await system.waitUntilUp();
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
      await system.db.drop();
    }
    const lines = stdout.trimEnd().split('\n');
    const records = lines.map((text) => JSON.parse(text) as { name: string; msg: string });
    expect(new Set(records.map((record) => record.name))).toEqual(new Set(['start', 'api', 'worker']));
    expect(records.map((record) => record.msg)).toEqual(expect.arrayContaining(['migrations applied', 'stopped']));
  });

  describeIfAvailable(scriptMissing, 'on a terminal', () => {
    it('are pretty lines, the services JSON read and prettified by npm start, and it still stops on SIGTERM', async () => {
      const system = await startEnvironment();
      let run;
      try {
        run = await onTerminal('scripts/dist/start.js', system.env, join(dir, 'start.pid'), async (shown) => {
          await system.waitUntilUp();
          await waitFor(
            'the API and the worker to log that they listen',
            () => /listening on/.test(shown()) && /health on/.test(shown()),
            PATIENCE,
          );
        });
      } finally {
        await system.db.drop();
      }
      expect(run.code, run.shown).toBe(0);
      expect(
        run.lines.filter((text) => !PRETTY_LINE.test(text)),
        run.shown,
      ).toEqual([]);
      expect(run.lines).toEqual(
        expect.arrayContaining([
          expect.stringMatching(/ INFO \(start\): migrations applied \{"applied":\["001_create_tasks",/),
          expect.stringMatching(/ INFO \(api\): \[Api\] listening on /),
          expect.stringMatching(/ INFO \(worker\): \[Worker\] health on /),
          expect.stringMatching(/ INFO \(start\): stopped$/),
        ]),
      );
    });

    it.each([
      ['npm run start:api', 'apps/api/dist/main.js', '/monitor/health', 'API_PORT'],
      ['npm run start:worker', 'apps/workers/dist/main.js', '/health', 'WORKER_PORT'],
    ])('stay JSON lines from %s, a service on its own', async (_command, script, healthPath, portVariable) => {
      const db = await createTestDatabase();
      const port = await anyFreePort();
      let run;
      try {
        run = await onTerminal(
          script,
          { DATABASE_URL: db.url, [portVariable]: String(port), LOG_LEVEL: 'info' },
          join(dir, 'service.pid'),
          () =>
            waitFor(
              'the service to be healthy',
              async () => (await fetch(`http://127.0.0.1:${port}${healthPath}`)).ok || undefined,
              PATIENCE,
            ),
        );
      } finally {
        await db.drop();
      }
      expect(run.code, run.shown).toBe(0);
      expect(run.lines.length).toBeGreaterThan(2);
      for (const text of run.lines) expect(() => JSON.parse(text) as unknown, text).not.toThrow();
    });
  });
});
