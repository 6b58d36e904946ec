import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { anyFreePort } from './ports.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';

const CORE_DIST = fileURLToPath(new URL('../../dist/index.js', import.meta.url));

async function selectOne(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query('select 1 as one')).rows[0].one;
  } finally {
    await client.end();
  }
}

/** The zero-setup database: created on first start, reused after, and recovered after a crash. */
describe('embedded PostgreSQL', () => {
  const root = mkdtempSync(`${tmpdir()}/taskforge-embedded-spec-`);
  const dataDir = `${root}/pg`;
  // mkdtemp makes a private folder; as root, the server runs as another user who must reach it.
  chmodSync(root, 0o755);
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates a cluster in an empty directory, serves queries, and stops', async () => {
    const server = await startEmbeddedPostgres({ dataDir, port: await anyFreePort() });
    expect(await selectOne(server.url)).toBe(1);
    await server.stop();
    expect(existsSync(`${dataDir}/PG_VERSION`)).toBe(true);
    expect(existsSync(`${dataDir}/postmaster.pid`)).toBe(false);
  });

  it('starts again on the data of a server whose owner was SIGKILLed', async () => {
    const port = await anyFreePort();
    // An owner process that starts the server, reports its pid, then is killed without cleanup.
    const owner = spawn(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `import { startEmbeddedPostgres } from ${JSON.stringify(CORE_DIST)};
         await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)}, port: ${port} });
         console.log('ready');
         setInterval(() => {}, 1000);`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    await new Promise<void>((resolve, reject) => {
      owner.stdout!.on('data', (chunk) => String(chunk).includes('ready') && resolve());
      owner.once('exit', () => reject(new Error('owner exited before the server was ready')));
    });
    const orphanPid = Number(readFileSync(`${dataDir}/postmaster.pid`, 'utf8').split('\n')[0]);
    owner.kill('SIGKILL');
    await new Promise((resolve) => owner.once('exit', resolve));
    expect(() => process.kill(orphanPid, 0)).not.toThrow(); // the orphan still runs

    const server = await startEmbeddedPostgres({ dataDir, port: await anyFreePort() });
    expect(await selectOne(server.url)).toBe(1);
    expect(() => process.kill(orphanPid, 0)).toThrow(); // and it was stopped first
    await server.stop();
  });
});
