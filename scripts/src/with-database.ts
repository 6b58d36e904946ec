import { createLogger, startEmbeddedPostgres, type Config, type Logger, type RunningEmbeddedPostgres } from '@taskforge/core';

export interface Database {
  url: string;
  /** Set when we started the embedded server, which the caller must stop. */
  embedded?: RunningEmbeddedPostgres;
}

/**
 * DATABASE_URL when set; otherwise the embedded PostgreSQL with its data under
 * EMBEDDED_POSTGRES_DIR (./.data/postgres), so a fresh clone runs with Node.js alone.
 */
export async function openDatabase(config: Config, logger: Logger): Promise<Database> {
  if (config.DATABASE_URL) return { url: config.DATABASE_URL };
  const embedded = await startEmbeddedPostgres({
    dataDir: config.EMBEDDED_POSTGRES_DIR,
    port: config.EMBEDDED_POSTGRES_PORT,
    logger,
  });
  logger.info({ url: embedded.url.replace(/:[^:@/]*@/, ':***@') }, 'no DATABASE_URL set: using the embedded PostgreSQL');
  return { url: embedded.url, embedded };
}

export function scriptLogger(config: Config, name: string): Logger {
  return createLogger({ level: config.LOG_LEVEL, name });
}
