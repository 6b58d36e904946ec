import { readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Pool, PoolClient } from 'pg';

const MIGRATIONS_DIR = fileURLToPath(new URL('../../migrations/', import.meta.url));
/** Any constant works; it only has to be the same for every process migrating this database. */
export const MIGRATION_LOCK_KEY = 7_461_823_019;

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
        up: readMigrationFile(`${dir}/${file}`),
        down: readMigrationFile(`${dir}/${downFile}`),
      };
    })
    .sort((a, b) => a.version - b.version);
}

/**
 * A migration's SQL with each `\ir file` line (psql's include, relative to the migration)
 * replaced by that file's text: the definitions under packages/core/sql/ (task states, the claim)
 * are written once and installed by every migration that needs them. psql runs the same files
 * unchanged. Any other psql meta-command is refused: the server would not understand it.
 */
function readMigrationFile(path: string): string {
  return readFileSync(path, 'utf8')
    .split('\n')
    .map((line) => {
      if (!line.startsWith('\\')) return line;
      const include = /^\\ir\s+(\S+)\s*$/.exec(line);
      if (!include) throw new Error(`${path}: only \\ir <file> is understood, not ${line.trim()}`);
      return readFileSync(resolve(dirname(path), include[1]!), 'utf8');
    })
    .join('\n');
}

export interface MigrationResult {
  applied: string[];
  reverted: string[];
}

/** Runs `body` in a transaction of its own, holding the migration lock. */
type LockedStep = <R>(body: () => Promise<R>) => Promise<R>;

/**
 * Runs `work` on one connection, each step in a transaction of its own that first takes
 * `pg_advisory_xact_lock`, so two processes migrating at once take turns step by step and each
 * step re-reads what is applied. A transaction-scoped lock rather than a session lock held for
 * the whole run: it cannot be left behind on a pooled connection, and it works through a pooler
 * in transaction mode (PgBouncer), where a session lock could be taken on one server
 * connection and released on another.
 */
async function withMigrationLock<T>(pool: Pool, work: (step: LockedStep, client: PoolClient) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  const step: LockedStep = (body) =>
    inTransaction(client, async () => {
      await client.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
      return body();
    });
  try {
    await step(() =>
      client.query(`create table if not exists taskforge_migrations (
        version    integer primary key,
        name       text not null,
        applied_at timestamptz not null default now()
      )`),
    );
    return await work(step, client);
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
  return withMigrationLock(pool, async (step, client) => {
    const applied: string[] = [];
    for (const migration of migrations) {
      const didApply = await step(async () => {
        // Under the lock: another process may have applied it since the previous step.
        if ((await appliedVersions(client)).has(migration.version)) return false;
        await client.query(migration.up);
        await client.query('insert into taskforge_migrations (version, name) values ($1, $2)', [migration.version, migration.name]);
        return true;
      });
      if (didApply) applied.push(migration.id);
    }
    return { applied, reverted: [] };
  });
}

/** Reverts the latest applied migration, or all of them with `all: true`. */
export async function migrateDown(pool: Pool, options: { all?: boolean } = {}, migrations = readMigrations()): Promise<MigrationResult> {
  return withMigrationLock(pool, async (step, client) => {
    const reverted: string[] = [];
    while (options.all || reverted.length === 0) {
      const latest = await step(async () => {
        const done = await appliedVersions(client);
        const migration = migrations.filter((m) => done.has(m.version)).at(-1);
        if (!migration) return undefined;
        await client.query(migration.down);
        await client.query('delete from taskforge_migrations where version = $1', [migration.version]);
        return migration;
      });
      if (!latest) break;
      reverted.push(latest.id);
    }
    return { applied: [], reverted };
  });
}

async function inTransaction<R>(client: PoolClient, work: () => Promise<R>): Promise<R> {
  await client.query('begin');
  try {
    const result = await work();
    await client.query('commit');
    return result;
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}
