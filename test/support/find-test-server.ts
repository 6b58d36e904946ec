import { tmpdir } from 'node:os';
import pg from 'pg';
import { startEmbeddedPostgres, type RunningEmbeddedPostgres } from '../../packages/core/src/index.js';

const LOCAL_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestServer {
  /** A URL on which the test run may create and drop databases. */
  adminUrl: string;
  source: 'DATABASE_URL' | 'local server' | 'embedded';
  embedded?: RunningEmbeddedPostgres;
}

/** DATABASE_URL when set, else the local server when reachable, else an embedded PostgreSQL. */
export async function findTestServer(): Promise<TestServer> {
  const fromEnv = process.env.DATABASE_URL?.trim();
  if (fromEnv) return { adminUrl: fromEnv, source: 'DATABASE_URL' };
  if (await isReachable(LOCAL_SERVER_URL)) return { adminUrl: LOCAL_SERVER_URL, source: 'local server' };
  const embedded = await startEmbeddedPostgres({
    dataDir: `${tmpdir()}/taskforge-test-postgres-${process.getuid?.() ?? 0}`,
    port: 54_330,
    database: 'postgres',
  });
  return { adminUrl: embedded.url, source: 'embedded', embedded };
}

async function isReachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}
