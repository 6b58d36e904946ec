import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { createLogger, createPool, loadConfig, migrateUp, type Logger } from '@taskforge/core';
import { parseProcessArguments, ScriptCommand } from './command-line.js';
import { pipePretty, prettyDestination, terminalPrettifier, type Prettify } from './pretty-logs.js';
import { openDatabase, type Database } from './with-database.js';

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
Logs are pretty lines on a terminal, JSON lines otherwise (a file, a pipe).
Ctrl-C or SIGTERM stops everything and exits 0.`,
  ),
  () => undefined,
);

/**
 * `npm start`: the whole system in one process tree. Opens the database (DATABASE_URL, or the
 * embedded PostgreSQL), migrates it, then runs the API and one worker as child processes.
 * Ctrl-C or SIGTERM stops the children gracefully, then the embedded PostgreSQL, and exits 0.
 * On a terminal every log line (this process's and the children's) is prettified here; the
 * services themselves always write JSON, which is what they write anywhere else too.
 */
async function main(): Promise<void> {
  const config = loadConfig();
  const prettify = await terminalPrettifier();
  const logger = createLogger({
    level: config.LOG_LEVEL,
    name: 'start',
    destination: prettify ? prettyDestination(prettify) : undefined,
  });
  const database = await openDatabase(config, logger);
  const pool = createPool({ connectionString: database.url, max: 1, applicationName: 'taskforge-migrate' });
  try {
    const { applied } = await migrateUp(pool);
    if (applied.length) logger.info({ applied }, 'migrations applied');
  } finally {
    await pool.end();
  }
  const children = new Map<string, ChildProcess>();
  /** Resolve once each child's last log line is out (pretty mode reads them through this process). */
  const logsDone: Promise<void>[] = [];
  let stopping = false;
  const stopAll = async (exitCode: number) => {
    if (stopping) return;
    stopping = true;
    await Promise.all([...children.values()].map(stopChild));
    await Promise.all(logsDone);
    await database.embedded?.stop();
    logger.info('stopped');
    process.exit(exitCode);
  };
  for (const [name, script] of Object.entries(SERVICES)) {
    const child = startChild(script, database, prettify);
    if (prettify) logsDone.push(pipePretty(child.stdout!, prettify));
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
 * process dies without asking (its 'disconnect' event), so no service outlives it. Its stdout
 * is this process's, unless the lines are to be prettified: then this process reads them.
 */
function startChild(script: string, database: Database, prettify: Prettify | undefined): ChildProcess {
  return spawn(process.execPath, [script], {
    env: { ...process.env, DATABASE_URL: database.url },
    stdio: ['ignore', prettify ? 'pipe' : 'inherit', 'inherit', 'ipc'],
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
