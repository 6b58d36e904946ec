import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { appendFileSync, closeSync, mkdirSync, openSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { anyFreePort } from '../../../packages/core/src/embedded/ports.js';

const USER = 'postgres';
const DATABASE = 'taskforge';

export interface NetworkPostgres {
  /** `postgres://postgres@<address>:<port>/taskforge` (trust auth, from the app network only). */
  url: string;
  /** PostgreSQL's own log, for a failure message. */
  logFile: string;
  stop(): Promise<void>;
}

/**
 * A PostgreSQL server of the test's own, from the binaries the project ships (as in core's
 * embedded/embedded-postgres.ts), listening only on `address`, the app network's bridge, so
 * the hosts in the namespaces reach it as a database on another machine. Trust auth for
 * `clientSubnet`: a throwaway server on a private bridge. Durability is off, for speed.
 */
export async function startNetworkPostgres(options: { dataDir: string; address: string; clientSubnet: string }): Promise<NetworkPostgres> {
  const binaries = (await import(`@embedded-postgres/${process.platform}-${process.arch}`)) as { initdb: string; postgres: string };
  const { dataDir, address } = options;
  // PostgreSQL refuses to run as root; the cluster belongs to the postgres system user.
  const owner = ensureSystemUser(USER);
  mkdirSync(dataDir, { recursive: true });
  execFileSync('chown', [`${owner.uid}:${owner.gid}`, dataDir]);
  execFileSync(binaries.initdb, ['-D', dataDir, '-U', USER, '--auth=trust', '-E', 'UTF8', '--locale=C', '--no-sync'], {
    stdio: 'pipe',
    env: { ...process.env, LC_MESSAGES: 'C' },
    ...owner,
  });
  appendFileSync(`${dataDir}/pg_hba.conf`, `host all all ${options.clientSubnet} trust\n`);

  const port = await anyFreePort(address);
  const logFile = `${dataDir}.log`;
  const logFd = openSync(logFile, 'a');
  let server: ChildProcess;
  try {
    server = spawn(
      binaries.postgres,
      [
        '-D',
        dataDir,
        '-p',
        String(port),
        '-c',
        `listen_addresses=${address}`,
        '-c',
        'unix_socket_directories=',
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      { detached: true, stdio: ['ignore', logFd, logFd], env: { ...process.env, LC_MESSAGES: 'C' }, ...owner },
    );
  } finally {
    closeSync(logFd);
  }
  const stop = () => stopServer(server);
  try {
    await waitUntilReady(server, address, port);
    const admin = new pg.Client({ host: address, port, user: USER, database: 'postgres' });
    await admin.connect();
    await admin.query(`create database ${DATABASE}`).finally(() => admin.end());
  } catch (error) {
    await stop();
    throw new Error(`the test's PostgreSQL on ${address}:${port} did not start (see ${logFile})`, { cause: error });
  }
  return { url: `postgres://${USER}@${address}:${port}/${DATABASE}`, logFile, stop };
}

function ensureSystemUser(name: string): { uid: number; gid: number } {
  try {
    return systemUser(name);
  } catch {
    execFileSync('useradd', ['--system', '--user-group', '--no-create-home', name], { stdio: 'pipe' });
    return systemUser(name);
  }
}

function systemUser(name: string): { uid: number; gid: number } {
  return {
    uid: Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim()),
    gid: Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim()),
  };
}

async function waitUntilReady(server: ChildProcess, host: string, port: number): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`postgres exited with code ${server.exitCode} during start-up`);
    const client = new pg.Client({ host, port, user: USER, database: 'postgres', connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      await sleep(100);
    }
  }
  throw new Error('no connection within 60 s');
}

/** Fast shutdown; the data is thrown away with the harness, so a stuck server is killed. */
async function stopServer(server: ChildProcess): Promise<void> {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => server.once('exit', () => resolve()));
  server.kill('SIGINT');
  const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}
