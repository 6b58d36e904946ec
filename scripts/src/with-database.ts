import { createLogger, startEmbeddedPostgres, type Config, type Logger, type RunningEmbeddedPostgres } from '@taskforge/core';

/** What openDatabase reads: a process that needs only a database validates these alone (loadConfig's `only`). */
export const DATABASE_VARIABLES = ['DATABASE_URL', 'EMBEDDED_POSTGRES_DIR', 'EMBEDDED_POSTGRES_PORT'] as const;

export interface Database {
  url: string;
  /** Set when we started the embedded server, which the caller must stop. */
  embedded?: RunningEmbeddedPostgres;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL with its data under
 * EMBEDDED_POSTGRES_DIR (./.data/postgres), so a fresh clone runs with Node.js alone.
 */
export async function openDatabase(config: Pick<Config, (typeof DATABASE_VARIABLES)[number]>, logger: Logger): Promise<Database> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.EMBEDDED_POSTGRES_DIR,
    port: config.EMBEDDED_POSTGRES_PORT,
    logger,
  });
  logger.info({ url: embedded.url.replace(/:[^:@/]*@/, ':***@') }, 'no DATABASE_URL set: using the embedded PostgreSQL');
  return { url: embedded.url, embedded };
}

export function scriptLogger(config: Pick<Config, 'LOG_LEVEL'>, name: string): Logger {
  return createLogger({ level: config.LOG_LEVEL, name });
}
