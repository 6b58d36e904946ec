import type { Pool, PoolClient } from 'pg';

/**
 * Anything core can run a statement on: the pool, or a client the caller checked out,
 * so a task can be written in the same transaction as the caller's own data.
 */
export type Queryable = Pick<Pool | PoolClient, 'query'>;
