import pg from 'pg';
import { UnnamedStatementsClient } from './unnamed-statements-client.js';

export interface CreatePoolOptions {
  connectionString: string;
  max?: number;
  /** Name shown in pg_stat_activity.application_name, to tell our connections apart. */
  applicationName?: string;
  /**
   * Longest wait for a query's answer (default 10 s). Without it, a query sent on a connection
   * whose server vanished (a cut network, not a restart) waits for TCP to give up: minutes.
   */
  queryTimeoutMs?: number;
  /**
   * Send named queries as prepared statements (default true). False for a pooler in
   * transaction mode without prepared-statement support (DATABASE_PREPARED_STATEMENTS=off).
   */
  preparedStatements?: boolean;
}

/**
 * A pool that fails fast instead of hanging when PostgreSQL is unreachable (connecting
 * gives up after 5 s, a query after `queryTimeoutMs`), and that
 * survives idle connections dropped by a server restart (pg emits 'error' on the pool;
 * without a listener that would crash the process).
 */
export function createPool(options: CreatePoolOptions): pg.Pool {
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 10,
    connectionTimeoutMillis: 5_000,
    query_timeout: options.queryTimeoutMs ?? 10_000,
    idleTimeoutMillis: 30_000,
    keepAlive: true,
    application_name: options.applicationName ?? 'taskforge',
    Client: options.preparedStatements === false ? UnnamedStatementsClient : undefined,
  });
  pool.on('error', () => {
    // An idle client lost its connection; the pool discards it and the next query reconnects.
  });
  return pool;
}
