import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createPool, loadConfig, migrateUp, type Logger } from '@taskforge/core';
import { parseProcessArguments, ScriptCommand } from './command-line.js';
import { openDatabase, scriptLogger, type Database } from './with-database.js';

const SERVICES = {
  api: fileURLToPath(new URL('../../apps/api/dist/main.js', import.meta.url)),
  worker: fileURLToPath(new URL('../../apps/workers/dist/main.js', import.meta.url)),
};

parseProcessArguments(
  new ScriptCommand(
    'start',
    'npm start --',
    'The whole system in one process tree: opens the database, migrates it, then runs the API and one worker.',
  ).addHelpText(
    'after',
    `
Uses DATABASE_URL when set, else the embedded PostgreSQL (EMBEDDED_POSTGRES_DIR, EMBEDDED_POSTGRES_PORT);
every other variable of the configuration applies as to npm run start:api and start:worker.
Ctrl-C or SIGTERM stops everything and exits 0.`,
  ),
  () => undefined,
);

/**
 * `npm start`: the whole system in one process tree. Opens the database (DATABASE_URL, or the
 * embedded PostgreSQL), migrates it, then runs the API and one worker as child processes.
 * Ctrl-C or SIGTERM stops the children gracefully, then the embedded PostgreSQL, and exits 0.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = scriptLogger(config, 'start');
  const database = await openDatabase(config, logger);
  const pool = createPool({ connectionString: database.url, max: 1, applicationName: 'taskforge-migrate' });
  try {
    const { applied } = await migrateUp(pool);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  } finally {
    await pool.end();
  }
  const children = new Map<string, ChildProcess>();
  let stopping = false;
  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all([...children.values()].map(stopChild));
    await database.embedded?.stop();
    logger.info('stopped');
    process.exit(exitCode);
  };
  for (const [name, script] of Object.entries(SERVICES)) {
    const child = startChild(script, database);
    children.set(name, child);
    child.once('exit', (code, signal) => {
      children.delete(name);
      if (stopping) return;
      logger.error({ service: name, code, signal }, 'a service exited unexpectedly, stopping the others');
      void stopAll(1);
    });
  }
  onStopSignal(logger, () => void stopAll(0));
}

/**
 * Each service runs in a process group of its own, so a Ctrl-C reaches only this process,
 * which then asks each child once to stop. The IPC channel lets a child notice if this
 * process dies without asking (its 'disconnect' event), so no service outlives it.
 */
function startChild(script: string, database: Database): ChildProcess {
  return spawn(process.execPath, [script], {
    env: { ...process.env, DATABASE_URL: database.url },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    detached: true,
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function onStopSignal(logger: Logger, stop: () => void): void {
  let signalled = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (signalled) {
        logger.warn(`received ${signal} again, still stopping (running tasks may take up to WORKER_SHUTDOWN_TIMEOUT_MS)`);
        return;
      }
      signalled = true;
      logger.info({ signal }, 'stopping');
      stop();
    });
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error && error.name === 'ConfigError' ? error.message : error);
  process.exit(1);
});
