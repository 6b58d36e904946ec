import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createPool, migrateUp, type Pool } from '../../packages/core/src/index.js';

export interface TestDatabase {
  name: string;
  url: string;
  /** A pool on the fresh, fully migrated database. */
  pool: Pool;
  drop(): Promise<void>;
}

/**
 * A database of its own for one test file, so files run in parallel without seeing each
 * other's tasks. Migrated unless `migrate: false`.
 */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `taskforge_test_${randomBytes(6).toString('hex')}`;
  await withAdminClient(adminUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const pool = createPool({ connectionString: url.toString(), max: 20 });
  if (options.migrate !== false) await migrateUp(pool);
  return {
    name,
    url: url.toString(),
    pool,
    async drop() {
      await pool.end();
      await withAdminClient(adminUrl, (client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

async function withAdminClient<T>(adminUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Gives the calling test file its own database for all its tests: created before the first,
 * dropped after the last, and emptied of tasks before each one when `truncateEach` is set.
 * The returned object forwards to the live database, so tests read `db.pool` as usual.
 */
export function useTestDatabase(options: { truncateEach?: boolean } = {}): TestDatabase {
  let current: TestDatabase | undefined;
  beforeAll(async () => {
    current = await createTestDatabase();
  });
  afterAll(async () => {
    await current?.drop();
  });
  if (options.truncateEach) {
    beforeEach(async () => {
      await current!.pool.query('truncate tasks');
    });
  }
  const live = () => {
    if (!current) throw new Error('the test database exists only inside tests and hooks');
    return current;
  };
  return {
    get name() {
      return live().name;
    },
    get url() {
      return live().url;
    },
    get pool() {
      return live().pool;
    },
    drop: () => live().drop(),
  };
}
