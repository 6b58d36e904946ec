import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { waitFor } from './wait-for.js';

/** Debian's pgbouncer package, which `.ci/run` installs when missing; PGBOUNCER_PATH points elsewhere. */
export const PGBOUNCER_PATH = process.env.PGBOUNCER_PATH || '/usr/sbin/pgbouncer';

export const pgbouncerAvailable = existsSync(PGBOUNCER_PATH);

export const PGBOUNCER_MISSING_MESSAGE =
  `PgBouncer tests skipped: no pgbouncer at ${PGBOUNCER_PATH} ` + '(install it with `apt-get install -y pgbouncer`, or set PGBOUNCER_PATH)';

export interface RunningPgBouncer {
  /** `databaseUrl` with PgBouncer's address instead of the server's. */
  url: string;
  /** PgBouncer's version line, e.g. "PgBouncer 1.18.0". */
  version: string;
  stop(): Promise<void>;
}

/**
 * A PgBouncer of the test's own in front of the server of `databaseUrl`, in transaction mode
 * with `poolSize` server connections per database: what DATABASE_URL points at in a
 * deployment that pools. It refuses to run as root, so as root it runs as the postgres user.
 */
export async function startPgBouncer(databaseUrl: string, poolSize = 3): Promise<RunningPgBouncer> {
  const server = new URL(databaseUrl);
  const port = await anyFreePort();
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-pgbouncer-'));
  const user = decodeURIComponent(server.username);
  const serverLogin = server.password ? ` user=${user} password=${decodeURIComponent(server.password)}` : '';
  writeFileSync(join(dir, 'userlist.txt'), `"${user}" ""\n`);
  writeFileSync(
    join(dir, 'pgbouncer.ini'),
    [
      '[databases]',
      `* = host=${server.hostname} port=${server.port || 5432}${serverLogin}`,
      '[pgbouncer]',
      'listen_addr = 127.0.0.1',
      `listen_port = ${port}`,
      'unix_socket_dir =',
      'auth_type = trust',
      `auth_file = ${join(dir, 'userlist.txt')}`,
      'pool_mode = transaction',
      `default_pool_size = ${poolSize}`,
      'max_client_conn = 500',
      '',
    ].join('\n'),
  );
  const args = [join(dir, 'pgbouncer.ini')];
  if (process.getuid?.() === 0) {
    const runAs = userExists('postgres') ? 'postgres' : 'nobody';
    const uid = Number(execFileSync('id', ['-u', runAs], { encoding: 'utf8' }).trim());
    chmodSync(dir, 0o755);
    for (const file of ['', 'userlist.txt', 'pgbouncer.ini']) chownSync(join(dir, file), uid, -1);
    args.unshift('-u', runAs);
  }
  const version = execFileSync(PGBOUNCER_PATH, ['--version'], { encoding: 'utf8' }).split('\n')[0]!.trim();
  const child: ChildProcess = spawn(PGBOUNCER_PATH, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  const url = new URL(databaseUrl);
  url.hostname = '127.0.0.1';
  url.port = String(port);
  const stop = async () => {
    if (child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    await waitFor('PgBouncer to accept connections', async () => {
      if (child.exitCode !== null) throw new Error(`pgbouncer exited: ${output}`);
      const client = new pg.Client({ connectionString: url.href, connectionTimeoutMillis: 2_000 });
      try {
        await client.connect();
        await client.query('select 1');
        return true;
      } finally {
        await client.end().catch(() => undefined);
      }
    });
  } catch (error) {
    await stop();
    throw error;
  }
  return { url: url.href, version, stop };
}

function userExists(name: string): boolean {
  try {
    execFileSync('id', ['-u', name], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
