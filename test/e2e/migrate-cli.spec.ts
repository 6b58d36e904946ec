import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readMigrations } from '../../packages/core/src/index.js';
import { startNodeScript } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/** `npm run migrate:up` / `migrate:down`, as the compiled script users run. */
describe('the migrate command', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
  });
  afterAll(() => db.drop());

  async function migrate(...args: string[]) {
    const run = startNodeScript('scripts/dist/migrate.js', { DATABASE_URL: db.url, LOG_LEVEL: 'info' }, args);
    const code = await run.exited;
    return { code, output: run.output() };
  }

  async function hasTasksTable(): Promise<boolean> {
    const { rows } = await db.pool.query("select to_regclass('tasks') is not null as present");
    return rows[0].present;
  }

  it('goes up, is a no-op the second time, goes down, and up again', async () => {
    expect((await migrate('up')).code).toBe(0);
    expect(await hasTasksTable()).toBe(true);
    const again = await migrate('up');
    expect(again.code).toBe(0);
    expect(again.output).toContain('nothing to do');
    expect((await migrate('down', '--all')).code).toBe(0);
    expect(await hasTasksTable()).toBe(false);
    expect((await migrate('up')).code).toBe(0);
    expect(await hasTasksTable()).toBe(true);
  });

  it('runs safely when two processes migrate at once', async () => {
    await migrate('down', '--all');
    const [a, b] = await Promise.all([migrate('up'), migrate('up')]);
    expect([a.code, b.code]).toEqual([0, 0]);
    const { rows } = await db.pool.query('select count(*)::int as n from taskforge_migrations');
    expect(rows[0].n).toBe(readMigrations().length);
  });

  it('explains its usage when given no direction', async () => {
    const run = await migrate('sideways');
    expect(run.code).toBe(1);
    expect(run.output).toContain('usage: migrate up');
  });
});
