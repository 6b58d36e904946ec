import { ScriptCommand, UsageError } from './command-line.js';

export interface MigrateOptions {
  direction: 'up' | 'down';
  /** With down: revert every migration, not only the latest. */
  all: boolean;
}

/** The migrations' command line; `node scripts/dist/migrate.js --help` prints its usage. */
export function migrateCommand(): ScriptCommand {
  return new ScriptCommand('migrate', 'migrate', 'Applies or reverts the schema migrations. Safe to run from several processes at once.')
    .usage('up | down [--all]')
    .argument('[direction]', 'up: apply every pending migration; down: revert the latest one')
    .option('--all', 'with down: revert every migration')
    .addHelpText(
      'after',
      `
Run as npm run migrate:up, npm run migrate:down [-- --all], or node scripts/dist/migrate.js up | down [--all].
Reads only DATABASE_URL (unset: the embedded PostgreSQL, EMBEDDED_POSTGRES_DIR and EMBEDDED_POSTGRES_PORT) and LOG_LEVEL.`,
    );
}

export function readMigrateOptions(command: ScriptCommand): MigrateOptions {
  const [direction] = command.args;
  // Exit code 1, as before commander parsed this command line: a deployment's job may test for it.
  if (direction === undefined) throw new UsageError('needs a direction: up or down', 1);
  if (direction !== 'up' && direction !== 'down') throw new UsageError(`the direction is up or down, got ${JSON.stringify(direction)}`, 1);
  return { direction, all: command.opts<{ all?: true }>().all ?? false };
}
