import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, openSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { createPool, loadConfig, migrateUp, startEmbeddedPostgres, type RunningEmbeddedPostgres } from '@taskforge/core';
import { anyFreePort } from '@taskforge/core/internal';
import { parseProcessArguments } from '../command-line.js';
import { createExecutionsTable } from '../fixtures/executions-table.js';
import { createScratchDatabase } from '../scratch-database.js';
import { buildReport, expiredLeaseAgeMs, unfinishedCount } from './chaos-report.js';
import { chaosCommand, readChaosOptions } from './options.js';

const options = parseProcessArguments(chaosCommand(), readChaosOptions);

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const API_SCRIPT = `${ROOT}apps/api/dist/main.js`;
const WORKER_SCRIPT = `${ROOT}scripts/dist/fixture-worker.js`;
const WORKER_ENV = {
  WORKER_POLLING_INTERVAL_MS: '100',
  WORKER_HEARTBEAT_INTERVAL_MS: '1000',
  WORKER_LEASE_MS: '10000',
  WORKER_RESCUE_INTERVAL_MS: '500',
  WORKER_SHUTDOWN_TIMEOUT_MS: '1000',
  RETRY_BASE_DELAY_MS: '200',
  LOG_LEVEL: 'warn',
};

const say = (message: string) => console.error(`[chaos ${new Date().toISOString().slice(11, 19)}] ${message}`);

/**
 * `npm run chaos`: the API and N workers under fire. Tasks go in continuously through the API
 * while workers are killed (SIGKILL or SIGTERM) and restarted and, when the tool runs its own
 * embedded PostgreSQL, the database restarts. Then the queue drains and one summary is printed.
 * Exits 1 when a task was lost or ran twice without its worker having been killed.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const scratch = await openScratchDatabase(config.DATABASE_URL);
  const logFile = `${scratch.dir}/chaos-processes.log`;
  const logFd = openSync(logFile, 'a');
  let pool = createPool({ connectionString: scratch.url, max: 4 });
  await migrateUp(pool);
  await createExecutionsTable(pool);
  say(`database ${scratch.embedded ? 'embedded (restarts enabled)' : 'from DATABASE_URL'}; process logs in ${logFile}`);

  const apiPort = await anyFreePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const api = spawnService(API_SCRIPT, { DATABASE_URL: scratch.url, API_PORT: String(apiPort), LOG_LEVEL: 'warn' }, logFd);
  const killed = new Set<string>();
  let generation = 0;
  const slots: ChildProcess[] = [];
  const startWorker = async (slot: number) => {
    const id = `chaos-w${slot}-g${++generation}`;
    const port = await anyFreePort();
    const child = spawnService(
      WORKER_SCRIPT,
      { ...WORKER_ENV, DATABASE_URL: scratch.url, WORKER_ID: id, WORKER_PORT: String(port) },
      logFd,
    );
    slots[slot] = Object.assign(child, { workerId: id });
  };
  for (let slot = 0; slot < options.workers; slot += 1) await startWorker(slot);
  await waitForApi(apiUrl);

  const accepted = new Set<string>();
  let rejected = 0;
  let longestExpiredLeaseMs = 0;
  let chaosOn = true;
  let dbDown = false;

  const submitter = (async () => {
    const interval = 1_000 / options.rate;
    for (let next = performance.now(); chaosOn; next += interval) {
      await sleep(Math.max(0, next - performance.now()));
      void submit(apiUrl).then((id) => (id ? accepted.add(id) : (rejected += 1)));
    }
  })();

  const sampler = setInterval(() => {
    if (dbDown) return;
    expiredLeaseAgeMs(pool).then(
      (ms) => (longestExpiredLeaseMs = Math.max(longestExpiredLeaseMs, ms)),
      () => undefined,
    );
  }, 250);

  const monkey = (async () => {
    let sinceRestart = 0;
    while (chaosOn) {
      await sleep(options.killEvery * 1_000);
      if (!chaosOn) break;
      const slot = Math.floor(Math.random() * options.workers);
      const victim = slots[slot] as ChildProcess & { workerId: string };
      const signal = Math.random() < 0.5 ? 'SIGKILL' : 'SIGTERM';
      killed.add(victim.workerId);
      say(`${signal} ${victim.workerId}`);
      victim.kill(signal);
      await new Promise((resolve) =>
        victim.exitCode !== null || victim.signalCode !== null ? resolve(null) : victim.once('exit', resolve),
      );
      await startWorker(slot);
      sinceRestart += options.killEvery;
      if (scratch.embedded && options.restartDbEvery > 0 && sinceRestart >= options.restartDbEvery && chaosOn) {
        sinceRestart = 0;
        say('restarting PostgreSQL');
        dbDown = true;
        await pool.end();
        await scratch.embedded.restart();
        pool = createPool({ connectionString: scratch.url, max: 4 });
        dbDown = false;
      }
    }
  })();

  await sleep(options.duration * 1_000);
  chaosOn = false;
  await Promise.all([submitter, monkey]);
  await sleep(500); // let the last submissions be answered
  say(`chaos over: ${accepted.size} accepted; draining`);

  const drainDeadline = performance.now() + options.drainTimeout * 1_000;
  while ((await unfinishedCount(pool)) > 0 && performance.now() < drainDeadline) await sleep(500);
  clearInterval(sampler);

  const report = await buildReport(pool, accepted, rejected, killed, longestExpiredLeaseMs);
  console.log(
    [
      `submitted                      ${report.submitted} (plus ${report.rejected} refused with an error while PostgreSQL was down)`,
      `completed                      ${report.completed}`,
      `permanently failed             ${report.failedPermanently} (fail tasks, by design)`,
      `still pending                  ${report.stillPending}`,
      `lost                           ${report.lost}`,
      `duplicate executions           ${report.duplicateExecutions} (reruns of tasks whose worker was not killed)`,
      `reruns after a kill            ${report.rerunsAfterKill} (${killed.size} workers killed)`,
      `longest expired lease          ${report.longestExpiredLeaseMs} ms (expiry until rescue)`,
      `verdict                        ${report.lost === 0 && report.duplicateExecutions === 0 && report.stillPending === 0 ? 'PASS' : 'FAIL'}`,
    ].join('\n'),
  );

  for (const child of [api, ...slots]) child.kill('SIGKILL');
  await pool.end();
  await scratch.close();
  process.exit(report.lost === 0 && report.duplicateExecutions === 0 && report.stillPending === 0 ? 0 : 1);
}

interface ScratchDatabase {
  url: string;
  dir: string;
  embedded?: { restart(): Promise<void> };
  close(): Promise<void>;
}

/**
 * With DATABASE_URL: a scratch database on that server, dropped afterwards. Without: an
 * embedded PostgreSQL in a temporary folder, which the tool may restart.
 */
async function openScratchDatabase(databaseUrl: string | undefined): Promise<ScratchDatabase> {
  const dir = mkdtempSync(`${tmpdir()}/taskforge-chaos-`);
  chmodSync(dir, 0o755);
  if (databaseUrl) {
    const scratch = await createScratchDatabase(databaseUrl, 'taskforge_chaos');
    return { url: scratch.url, dir, close: () => scratch.drop() };
  }
  const port = await anyFreePort();
  let server: RunningEmbeddedPostgres = await startEmbeddedPostgres({ dataDir: `${dir}/pg`, port });
  return {
    url: server.url,
    dir,
    embedded: {
      async restart() {
        await server.stop();
        await sleep(2_000);
        server = await startEmbeddedPostgres({ dataDir: `${dir}/pg`, port });
      },
    },
    async close() {
      await server.stop();
      rmSync(`${dir}/pg`, { recursive: true, force: true });
    },
  };
}

function spawnService(script: string, env: Record<string, string>, logFd: number): ChildProcess {
  return spawn(process.execPath, [script], { env: { ...process.env, ...env }, stdio: ['ignore', logFd, logFd] });
}

async function submit(apiUrl: string): Promise<string | undefined> {
  const roll = Math.random();
  const body =
    roll < 0.55
      ? { task_name: 'record', payload: { ms: Math.floor(Math.random() * 50) } }
      : roll < 0.75
        ? { task_name: 'record', payload: { ms: 200 + Math.floor(Math.random() * 1_300) } }
        : roll < 0.85
          ? { task_name: 'record', payload: { fail: true }, max_retries: 2 }
          : roll < 0.9
            ? { task_name: 'noop' }
            : roll < 0.95
              ? { task_name: 'sleep', payload: { ms: 100 } }
              : { task_name: 'fail', payload: { message: 'chaos' }, max_retries: 1 };
  try {
    const response = await fetch(`${apiUrl}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    if (response.status !== 201) return undefined;
    return ((await response.json()) as { id: string }).id;
  } catch {
    return undefined;
  }
}

async function waitForApi(apiUrl: string): Promise<void> {
  for (let i = 0; i < 300; i += 1) {
    if (
      await fetch(`${apiUrl}/monitor/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    await sleep(100);
  }
  throw new Error('the API did not come up');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
