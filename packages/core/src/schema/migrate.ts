import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Pool, PoolClient } from 'pg';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** Any constant works; it only has to be the same for every process migrating this database. */
const MIGRATION_LOCK_KEY = 7_461_823_019;

export interface Migration {
  /** The file name without `.up.sql`, e.g. `001_create_tasks`. */
  id: string;
  version: number;
  name: string;
  up: string;
  down: string;
}

/** Reads `NNN_name.up.sql` / `NNN_name.down.sql` pairs, in version order. */
export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  const files = readdirSync(dir);
  return files
    .filter((file) => file.endsWith('.up.sql'))
    .map((file) => {
      const match = /^(\d+)_(.+)\.up\.sql$/.exec(file);
      if (!match) throw new Error(`migration file ${file} is not named NNN_name.up.sql`);
      const base = file.slice(0, -'.up.sql'.length);
      const downFile = `${base}.down.sql`;
      if (!files.includes(downFile)) throw new Error(`migration ${file} has no ${downFile}`);
      return {
        id: base,
        version: Number(match[1]),
        name: match[2]!,
        up: readFileSync(`${dir}/${file}`, 'utf8'),
        down: readFileSync(`${dir}/${downFile}`, 'utf8'),
      };
    })
    .sort((a, b) => a.version - b.version);
}

export interface MigrationResult {
  applied: string[];
  reverted: string[];
}

/**
 * Runs `work` holding a session advisory lock, so two processes migrating at once take
 * turns: the second sees what the first applied and does nothing.
 */
async function withMigrationLock<T>(pool: Pool, work: (client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  try {
    await client.query('select pg_advisory_lock($1)', [MIGRATION_LOCK_KEY]);
    try {
      await client.query(`create table if not exists taskforge_migrations (
        version    integer primary key,
        name       text not null,
        applied_at timestamptz not null default now()
      )`);
      return await work(client);
    } finally {
      await client.query('select pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    client.release();
  }
}

async function appliedVersions(client: PoolClient): Promise<Set<number>> {
  const { rows } = await client.query<{ version: number }>('select version from taskforge_migrations');
  return new Set(rows.map((row) => row.version));
}

/** Applies every migration not yet applied, each in its own transaction. Running it twice is a no-op. */
export async function migrateUp(pool: Pool, migrations = readMigrations()): Promise<MigrationResult> {
  return withMigrationLock(pool, async (client) => {
    const done = await appliedVersions(client);
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.version)) continue;
      await inTransaction(client, async () => {
        await client.query(migration.up);
        await client.query('insert into taskforge_migrations (version, name) values ($1, $2)', [
          migration.version,
          migration.name,
        ]);
      });
      applied.push(migration.id);
    }
    return { applied, reverted: [] };
  });
}

/** Reverts the latest applied migration, or all of them with `all: true`. */
export async function migrateDown(
  pool: Pool,
  options: { all?: boolean } = {},
  migrations = readMigrations(),
): Promise<MigrationResult> {
  return withMigrationLock(pool, async (client) => {
    const done = await appliedVersions(client);
    const toRevert = migrations.filter((m) => done.has(m.version)).reverse();
    const reverted: string[] = [];
    for (const migration of options.all ? toRevert : toRevert.slice(0, 1)) {
      await inTransaction(client, async () => {
        await client.query(migration.down);
        await client.query('delete from taskforge_migrations where version = $1', [migration.version]);
      });
      reverted.push(migration.id);
    }
    return { applied: [], reverted };
  });
}

async function inTransaction(client: PoolClient, work: () => Promise<void>): Promise<void> {
  await client.query('begin');
  try {
    await work();
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
