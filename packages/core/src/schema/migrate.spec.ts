import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { migrateDown, migrateUp, readMigrations } from './migrate.js';

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  async function tableExists(name: string): Promise<boolean> {
    const { rows } = await db.pool.query('select to_regclass($1) is not null as exists', [name]);
    return rows[0].exists;
  }

  it('applies every migration, and a second run is a no-op', async () => {
    const first = await migrateUp(db.pool);
    expect(first.applied).toEqual(readMigrations().map((m) => m.id));
    expect(first.applied[0]).toBe('001_create_tasks');
    expect(await tableExists('tasks')).toBe(true);
    const second = await migrateUp(db.pool);
    expect(second.applied).toEqual([]);
  });

  it('goes down, then up again', async () => {
    const down = await migrateDown(db.pool, { all: true });
    expect(down.reverted.length).toBe(readMigrations().length);
    expect(await tableExists('tasks')).toBe(false);
    const up = await migrateUp(db.pool);
    expect(up.applied.length).toBe(readMigrations().length);
    expect(await tableExists('tasks')).toBe(true);
  });

  it('is safe when two processes migrate at once', async () => {
    await migrateDown(db.pool, { all: true });
    const [a, b] = await Promise.all([migrateUp(db.pool), migrateUp(db.pool)]);
    expect([...a.applied, ...b.applied].length).toBe(readMigrations().length);
    const { rows } = await db.pool.query('select count(*)::int as n from taskforge_migrations');
    expect(rows[0].n).toBe(readMigrations().length);
  });
});
