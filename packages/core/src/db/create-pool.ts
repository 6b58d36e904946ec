import pg from 'pg';

export interface CreatePoolOptions {
  connectionString: string;
  max?: number;
  /** Name shown in pg_stat_activity.application_name, to tell our connections apart. */
  applicationName?: string;
}

/**
 * A pool that fails fast instead of hanging when PostgreSQL is unreachable, and that
 * survives idle connections dropped by a server restart (pg emits 'error' on the pool;
 * without a listener that would crash the process).
 */
export function createPool(options: CreatePoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    idleTimeoutMillis: 30_000,
    application_name: options.applicationName ?? 'taskforge',
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool discards it and the next query reconnects.
  });
  return pool;
}
