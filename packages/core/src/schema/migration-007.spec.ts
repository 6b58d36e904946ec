import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { migrateDown, migrateUp, readMigrations } from './migrate.js';

/** The rule as migrations 001, 003 and 006 wrote it out before it became a function. */
const RULE_WRITTEN_OUT = (alias: string) =>
  `(${alias}status = 'pending' or (${alias}status = 'failed' and ${alias}next_retry_at is not null))`;

/** The claim's indexes and functions as the catalog shows them. */
async function claimDefinitions(db: TestDatabase): Promise<string[]> {
  const { rows } = await db.pool.query<{ definition: string }>(
    `select pg_get_indexdef(indexrelid) as definition from pg_index
      where indexrelid in ('tasks_claim_idx'::regclass, 'tasks_claim_name_idx'::regclass)
     union all
     select pg_get_functiondef(oid) from pg_proc where proname like 'taskforge_%'
     order by 1`,
  );
  return rows.map((row) => row.definition);
}

describe('migration 007 (task states and the claim defined once)', () => {
  let fresh: TestDatabase;
  let before: TestDatabase;
  beforeAll(async () => {
    [fresh, before] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  });
  afterAll(() => Promise.all([fresh.drop(), before.drop()]));

  it('brings a database migrated before it (the rule written out) to what a fresh database has', async () => {
    // `before` as a database migrated by the earlier release was: at 006, the two claim indexes
    // and both claims spelling the rule out.
    expect((await migrateDown(before.pool)).reverted).toEqual(['008_claim_plans_pinned']);
    await migrateDown(before.pool);
    const sql = (file: string) => readFileSync(new URL(`../../sql/${file}`, import.meta.url), 'utf8');
    await before.pool.query(`
      drop index tasks_claim_idx;
      create index tasks_claim_idx on tasks (priority desc, scheduled_at) where ${RULE_WRITTEN_OUT('')};
      drop index tasks_claim_name_idx;
      create index tasks_claim_name_idx on tasks (task_name, priority desc, scheduled_at) where ${RULE_WRITTEN_OUT('')};
      ${sql('claim-tasks.sql').replace('taskforge_task_is_queued(status, next_retry_at)', RULE_WRITTEN_OUT(''))}
      ${sql('claim-tasks-per-name.sql').replace(/taskforge_task_is_queued\((\w)\.status, \w\.next_retry_at\)/g, (_, alias: string) => RULE_WRITTEN_OUT(`${alias}.`))}
    `);
    expect(await claimDefinitions(before)).not.toEqual(await claimDefinitions(fresh));

    expect((await migrateUp(before.pool)).applied).toEqual(['007_states_defined_once', '008_claim_plans_pinned']);
    expect(await claimDefinitions(before)).toEqual(await claimDefinitions(fresh));
  });

  it('its down leaves what 001–006 make, and up again changes nothing', async () => {
    const atLatest = await claimDefinitions(fresh);
    expect((await migrateDown(fresh.pool)).reverted).toEqual(['008_claim_plans_pinned']);
    expect((await migrateDown(fresh.pool)).reverted).toEqual(['007_states_defined_once']);
    expect(await claimDefinitions(fresh)).toEqual(atLatest);
    expect((await migrateUp(fresh.pool)).applied).toEqual(['007_states_defined_once', '008_claim_plans_pinned']);
    expect(await claimDefinitions(fresh)).toEqual(atLatest);
  });

  it('each definition is written once: the migrations include sql/ files instead of copying them', () => {
    const sources = readMigrations().map((migration) => migration.up);
    const claimCreations = sources.join('\n').match(/create or replace function taskforge_claim_tasks\(/g) ?? [];
    // 003 and 006 install one claim each, 007 and 008 both again: every copy is the same file's text.
    expect(claimCreations).toHaveLength(6);
    for (const file of ['001_create_tasks.up.sql', '003_claim_function.up.sql', '006_task_type_settings.up.sql']) {
      const text = readFileSync(new URL(`../../migrations/${file}`, import.meta.url), 'utf8');
      expect(text, file).not.toMatch(/next_retry_at is not null/);
      expect(text, file).toMatch(/^\\ir \.\.\/sql\//m);
    }
  });
});
