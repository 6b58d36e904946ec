import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { isConnectionError } from './is-connection-error.js';

describe('isConnectionError', () => {
  const db = useTestDatabase();
  const role = `taskforge_no_slots_${process.pid}`;
  afterAll(async () => {
    await db.pool.query(`drop role if exists ${role}`);
  });

  async function connectError(url: string): Promise<unknown> {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
    try {
      await client.connect();
    } catch (error) {
      return error;
    } finally {
      await client.end().catch(() => undefined);
    }
    throw new Error(`connecting to ${url} succeeded`);
  }

  it('counts "no connection slot left" (53300, over a connection limit) as the database being unavailable', async () => {
    // A connection limit of 0 refuses the role as max_connections refuses everyone once full.
    await db.pool.query(`create role ${role} login password 'no-slots' connection limit 0`);
    const url = new URL(db.url);
    url.username = role;
    url.password = 'no-slots';
    const error = await connectError(url.href);
    expect(error).toMatchObject({ code: '53300' });
    expect(isConnectionError(error)).toBe(true);
  });

  it('does not count a statement PostgreSQL refused', async () => {
    const error = await db.pool.query('select 1 / 0').catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: '22012' });
    expect(isConnectionError(error)).toBe(false);
  });
});
