import type { Command } from 'commander';
import { CliError } from '../cli-error.js';
import { databaseUrl } from '../config.js';
import { EXIT } from '../exit-codes.js';
import type { CommandContext } from '../command-context.js';

type Core = typeof import('@taskforge/core');

/**
 * `migrate up | down [--all] | status`, straight on DATABASE_URL through core's migrator (the
 * same one `npm run migrate:up` and the services use), so a database can be prepared before
 * any API runs. Safe from several processes at once: each step takes core's advisory lock.
 */
export function registerMigrate(program: Command, context: CommandContext): void {
  const migrate = program
    .command('migrate')
    .description('apply or revert database migrations on DATABASE_URL (no API needed)')
    .option('--database-url <url>', 'PostgreSQL URL (default: DATABASE_URL)');

  migrate
    .command('up')
    .description('apply every pending migration')
    .action(async (_options, command: Command) => {
      const applied = await withPool(command, async (core, pool) => (await core.migrateUp(pool)).applied);
      context
        .output()
        .result(
          { applied },
          applied.length ? applied.map((id) => `applied ${id}`).join('\n') : 'nothing to apply: the database is up to date',
        );
    });

  migrate
    .command('down')
    .description('revert the latest applied migration (--all: every one)')
    .option('--all', 'revert every applied migration')
    .action(async (options: { all?: boolean }, command: Command) => {
      const reverted = await withPool(
        command,
        async (core, pool) => (await core.migrateDown(pool, { all: options.all === true })).reverted,
      );
      context
        .output()
        .result(
          { reverted },
          reverted.length ? reverted.map((id) => `reverted ${id}`).join('\n') : 'nothing to revert: no migration is applied',
        );
    });

  migrate
    .command('status')
    .description('list the migrations, applied or pending')
    .action(async (_options, command: Command) => {
      const migrations = await withPool(command, (core, pool) => migrationStatus(core, pool));
      context
        .output()
        .result(
          { migrations },
          migrations.map((m) => `${m.applied_at ? 'applied' : 'pending'}  ${m.id}${m.applied_at ? `  (${m.applied_at})` : ''}`).join('\n'),
        );
    });
}

async function migrationStatus(core: Core, pool: import('@taskforge/core').Pool) {
  const { rows: present } = await pool.query<{ present: boolean }>("select to_regclass('taskforge_migrations') is not null as present");
  const applied = new Map<number, string>();
  if (present[0]?.present) {
    const { rows } = await pool.query<{ version: number; applied_at: Date }>('select version, applied_at from taskforge_migrations');
    for (const row of rows) applied.set(row.version, row.applied_at.toISOString());
  }
  return core.readMigrations().map((m) => ({ id: m.id, version: m.version, applied_at: applied.get(m.version) ?? null }));
}

/**
 * Loads core only here: the other commands talk HTTP and start faster without it. A migration
 * may legitimately run for minutes (an index on a big table), so queries get no time limit;
 * connecting still gives up after 5 s.
 */
async function withPool<T>(command: Command, work: (core: Core, pool: import('@taskforge/core').Pool) => Promise<T>): Promise<T> {
  const url = databaseUrl(command.optsWithGlobals<{ databaseUrl?: string }>().databaseUrl);
  const core: Core = await import('@taskforge/core');
  const pool = core.createPool({ connectionString: url, max: 1, applicationName: 'taskforge-cli', queryTimeoutMs: 0 });
  try {
    return await work(core, pool);
  } catch (error) {
    if (core.isConnectionError(error)) {
      throw new CliError(`cannot use the database at ${redact(url)}: ${(error as Error).message}`, EXIT.unavailable);
    }
    // PostgreSQL refused a migration's statement: the step was rolled back, the earlier ones stay.
    throw new CliError(`migration failed: ${(error as Error).message}`, EXIT.badOutcome);
  } finally {
    await pool.end().catch(() => undefined);
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:@/]*:)[^@/]*@/, '$1***@');
}
