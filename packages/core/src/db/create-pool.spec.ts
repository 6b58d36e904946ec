import type { Pool } from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { createPool } from './create-pool.js';

describe('createPool: prepared statements', () => {
  const db = useTestDatabase();
  const pools: Pool[] = [];
  afterEach(async () => {
    for (const pool of pools.splice(0)) await pool.end();
  });

  /** Runs a named query twice on a one-connection pool; returns what that session has prepared. */
  async function preparedAfterNamedQueries(preparedStatements: boolean | undefined): Promise<string[]> {
    const pool = createPool({ connectionString: db.url, max: 1, preparedStatements });
    pools.push(pool);
    for (const n of [1, 2]) {
      const { rows } = await pool.query<{ n: number }>({ name: 'create_pool_spec_select', text: 'select $1::int as n', values: [n] });
      expect(rows).toEqual([{ n }]);
    }
    const { rows } = await pool.query<{ name: string }>('select name from pg_prepared_statements order by name');
    return rows.map((row) => row.name);
  }

  it('prepares a named query once per connection by default', async () => {
    expect(await preparedAfterNamedQueries(undefined)).toEqual(['create_pool_spec_select']);
  });

  it('sends named queries unprepared when preparedStatements is false, for poolers in transaction mode', async () => {
    expect(await preparedAfterNamedQueries(false)).toEqual([]);
    // Transactions on a checked-out client go unprepared too.
    const pool = pools[0]!;
    const client = await pool.connect();
    try {
      await client.query('begin');
      await client.query({ name: 'create_pool_spec_in_transaction', text: 'select 1' });
      const { rows } = await client.query('select count(*)::int as n from pg_prepared_statements');
      await client.query('commit');
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      client.release();
    }
  });
});
