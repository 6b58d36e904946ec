import { afterAll, beforeAll, beforeEach, inject } from 'vitest';
import { createPool, migrateUp, type Pool } from '../../packages/core/src/index.js';
import { createScratchDatabase } from '../../scripts/src/scratch-database.js';

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
  const scratch = await createScratchDatabase(inject('adminDatabaseUrl'), 'taskforge_test');
  const pool = createPool({ connectionString: scratch.url, max: 20 });
  if (options.migrate !== false) await migrateUp(pool);
  return {
    name: new URL(scratch.url).pathname.slice(1),
    url: scratch.url,
    pool,
    async drop() {
      await pool.end();
      await scratch.drop();
    },
  };
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
