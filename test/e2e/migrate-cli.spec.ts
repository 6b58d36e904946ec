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
    return migrateWith({}, ...args);
  }

  async function migrateWith(env: Record<string, string>, ...args: string[]) {
    const run = startNodeScript('scripts/dist/migrate.js', { DATABASE_URL: db.url, LOG_LEVEL: 'info', ...env }, args);
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

  describe('validates only what migrating reads', () => {
    /** Values the API or a worker refuses, and migrating never reads. */
    const NOT_FOR_MIGRATING = {
      API_TOKEN: 'short',
      API_PORT: '70000',
      WORKER_MAX_CONCURRENT_TASKS: 'abc',
      WORKER_LEASE_MS: '50',
      DATABASE_POOL_SIZE: '0',
      TASK_RETENTION_COMPLETED: 'soon',
    };

    it("migrates whatever the API's and the workers' settings say", async () => {
      await migrate('down', '--all');
      const up = await migrateWith(NOT_FOR_MIGRATING, 'up');
      expect(up.code, up.output).toBe(0);
      expect(await hasTasksTable()).toBe(true);
    });

    it('still stops on a bad DATABASE_URL or LOG_LEVEL, naming it', async () => {
      const url = await migrateWith({ ...NOT_FOR_MIGRATING, DATABASE_URL: 'mysql://x' }, 'up');
      expect(url.code).toBe(1);
      expect(url.output).toContain('DATABASE_URL must be a postgres:// or postgresql:// connection URL');
      expect(url.output).not.toContain('API_TOKEN');
      const level = await migrateWith({ LOG_LEVEL: 'loud' }, 'up');
      expect(level.code).toBe(1);
      expect(level.output).toContain('LOG_LEVEL must be one of');
    });

    it.each([
      ['the API', 'apps/api/dist/main.js', 'API_TOKEN', 'API_TOKEN must be at least 16 characters'],
      [
        'a worker',
        'apps/workers/dist/main.js',
        'WORKER_MAX_CONCURRENT_TASKS',
        'WORKER_MAX_CONCURRENT_TASKS must be an integer from 1 to 10000',
      ],
    ])('leaves %s to refuse its own bad settings when it starts', async (_service, script, variable, message) => {
      const run = startNodeScript(script, {
        DATABASE_URL: db.url,
        [variable]: NOT_FOR_MIGRATING[variable as keyof typeof NOT_FOR_MIGRATING],
      });
      expect(await run.exited).toBe(1);
      expect(run.output()).toContain(message);
    });
  });

  it('explains its usage when given no direction', async () => {
    const run = await migrate('sideways');
    expect(run.code).toBe(1);
    expect(run.output).toContain('usage: migrate up');
  });
});
