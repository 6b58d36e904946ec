import pg from 'pg';

/** Where a developer's own PostgreSQL usually listens; the tests look there too (test/support/find-test-server.ts). */
export const LOCAL_SERVER_URL = 'postgres://postgres@127.0.0.1:5432/postgres';

/** LOCAL_SERVER_URL when a server answers there within 2 s, else undefined. */
export async function findLocalServer(): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: LOCAL_SERVER_URL, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return LOCAL_SERVER_URL;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
