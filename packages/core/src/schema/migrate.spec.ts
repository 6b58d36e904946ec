import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { describeIfAvailable } from '../../../../test/support/describe-if-available.js';
import { dumpSchema, findPgDump, normaliseSchemaDump } from '../../../../test/support/schema-dump.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { MIGRATION_LOCK_KEY, migrateDown, migrateUp, readMigrations } from './migrate.js';

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

  /** Advisory locks on the migration key, granted or awaited, by anyone. */
  async function migrationLocks(): Promise<Array<{ granted: boolean }>> {
    const { rows } = await db.pool.query<{ granted: boolean }>(
      `select granted from pg_locks
        where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())
          and (classid::bigint << 32) + objid::bigint = $1`,
      [MIGRATION_LOCK_KEY],
    );
    return rows;
  }

  it('waits for another holder of the migration lock, and leaves no lock behind on its connection', async () => {
    await migrateDown(db.pool);
    const holder = new pg.Client({ connectionString: db.url });
    await holder.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      const migrating = migrateUp(db.pool);
      await waitFor('the migrator to wait for the lock', async () => (await migrationLocks()).some((lock) => !lock.granted));
      await holder.query('commit');
      expect((await migrating).applied).toHaveLength(1);
    } finally {
      await holder.end();
    }
    // Transaction-scoped: nothing stays held by the pooled connection it ran on (which a
    // pooler in transaction mode would hand to someone else next).
    expect(await migrationLocks()).toEqual([]);
  });

  it("expands psql's \\ir includes relative to the migration, and refuses any other meta-command", () => {
    const root = mkdtempSync(join(tmpdir(), 'taskforge-migrations-'));
    try {
      mkdirSync(join(root, 'migrations'));
      mkdirSync(join(root, 'sql'));
      writeFileSync(join(root, 'sql', 'definition.sql'), 'create function f() returns int language sql as $$ select 1 $$;');
      writeFileSync(join(root, 'migrations', '001_a.up.sql'), 'create table a ();\n\\ir ../sql/definition.sql\n');
      writeFileSync(join(root, 'migrations', '001_a.down.sql'), 'drop table a;');
      const [migration] = readMigrations(join(root, 'migrations'));
      expect(migration!.up).toBe('create table a ();\ncreate function f() returns int language sql as $$ select 1 $$;\n');

      writeFileSync(join(root, 'migrations', '001_a.up.sql'), '\\set ON_ERROR_STOP on\ncreate table a ();');
      expect(() => readMigrations(join(root, 'migrations'))).toThrow(/only \\ir <file> is understood, not \\set ON_ERROR_STOP on/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

const schemaDump = await findPgDump(inject('adminDatabaseUrl'));

describeIfAvailable(
  schemaDump.missing && `migrations' round trip not compared by schema: ${schemaDump.missing}`,
  'migrations, compared by their schema',
  () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase({ migrate: false });
    });
    afterAll(() => db.drop());

    const schema = async () => normaliseSchemaDump(await dumpSchema(schemaDump.pgDump!, db.url));

    it('down all leaves what no migration had made, and up again rebuilds exactly the same schema', async () => {
      await migrateUp(db.pool, []);
      const unmigrated = await schema();
      await migrateUp(db.pool);
      const migrated = await schema();
      await migrateDown(db.pool, { all: true });
      expect(await schema()).toBe(unmigrated);
      await migrateUp(db.pool);
      expect(await schema()).toBe(migrated);
    });
  },
);
