import { createPool, loadConfig, migrateDown, migrateUp } from '@taskforge/core';
import { parseProcessArguments } from './command-line.js';
import { migrateCommand, readMigrateOptions } from './migrate-options.js';
import { DATABASE_VARIABLES, openDatabase, scriptLogger } from './with-database.js';

/**
 * `migrate up` applies every pending migration; `migrate down` reverts the latest one,
 * `migrate down --all` all of them. Safe to run from several processes at once.
 */
async function main(): Promise<void> {
  const { direction, all } = parseProcessArguments(migrateCommand(), readMigrateOptions);
  // Only what migrating reads: a setting of the API or the workers (an API_TOKEN too short, a
  // WORKER_* out of range) is theirs to refuse when they start, and must not stop a migration.
  const config = loadConfig({ only: [...DATABASE_VARIABLES, 'LOG_LEVEL'] });
  const logger = scriptLogger(config, 'migrate');
  const database = await openDatabase(config, logger);
  const pool = createPool({ connectionString: database.url, max: 1, applicationName: 'taskforge-migrate' });
  try {
    const result = direction === 'up' ? await migrateUp(pool) : await migrateDown(pool, { all });
    const changed = direction === 'up' ? result.applied : result.reverted;
    logger.info({ [direction === 'up' ? 'applied' : 'reverted']: changed }, changed.length ? `migrate ${direction} done` : 'nothing to do');
  } finally {
    await pool.end();
    await database.embedded?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
