import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { migrateDown, migrateUp, readMigrations } from './migrate.js';

describe('migration 006 (per-type settings)', () => {
  let db: TestDatabase;
  // The steps up to 006, so that going up again stops there; the later ones are undone first.
  const upTo006 = readMigrations().filter((migration) => migration.version <= 6);
  beforeAll(async () => {
    db = await createTestDatabase();
    expect((await migrateDown(db.pool)).reverted).toEqual(['008_claim_plans_pinned']);
    expect((await migrateDown(db.pool)).reverted).toEqual(['007_states_defined_once']);
  });
  afterAll(() => db.drop());

  async function claimFunctions(): Promise<string[]> {
    const { rows } = await db.pool.query<{ signature: string }>(
      `select oid::regprocedure::text as signature from pg_proc where proname = 'taskforge_claim_tasks' order by pronargs`,
    );
    return rows.map((row) => row.signature);
  }

  it('marks tasks from before it explicit, so their limits stay; down removes what it added and the old claim still works', async () => {
    expect((await migrateDown(db.pool)).reverted).toEqual(['006_task_type_settings']);
    expect(await claimFunctions()).toEqual(['taskforge_claim_tasks(text,text[],integer,double precision)']);
    const { rows: before } = await db.pool.query<{ id: string }>(
      `insert into tasks (task_name, max_retries) values ('old', 2) returning id`,
    );

    expect((await migrateUp(db.pool, upTo006)).applied).toEqual(['006_task_type_settings']);
    const { rows: after } = await db.pool.query('select max_retries, max_retries_source from tasks where id = $1', [before[0]!.id]);
    expect(after).toEqual([{ max_retries: 2, max_retries_source: 'explicit' }]);
    expect(await claimFunctions()).toHaveLength(2);
    await expect(db.pool.query(`update tasks set max_retries_source = 'guessed'`)).rejects.toThrow(/check constraint/);

    await migrateDown(db.pool);
    const { rows: claimed } = await db.pool.query(`select id, attempts from taskforge_claim_tasks('w', array['old'], 10, 30000)`);
    expect(claimed).toEqual([{ id: before[0]!.id, attempts: 1 }]);
    const { rows: columns } = await db.pool.query(
      `select 1 from information_schema.columns where table_name = 'tasks' and column_name = 'max_retries_source'`,
    );
    expect(columns).toEqual([]);
    await migrateUp(db.pool);
  });
});
