import type { Config } from './config-schema.js';

export type ProcessRole = 'api' | 'worker';

/**
 * Pool sizes when DATABASE_POOL_SIZE is unset. The API serves requests in parallel, one
 * connection each while its queries run. A worker needs few whatever its concurrency: its
 * claim loop and its two outcome writers (completions, failures) each send one statement at a
 * time, batching whatever arrived meanwhile, so the hot path holds at most 3; the fourth serves
 * the short background statements (lease heartbeat, rescue, task_workers heartbeat, schedule
 * look, retention batch, NOTIFY). Measured in test/e2e/connection-budget.spec.ts.
 */
export const DEFAULT_POOL_SIZES: Readonly<Record<ProcessRole, number>> = { api: 10, worker: 4 };

/** The pool size a process of this role opens: DATABASE_POOL_SIZE when set, else the role's default. */
export function poolSizeFor(config: Pick<Config, 'DATABASE_POOL_SIZE'>, role: ProcessRole): number {
  return config.DATABASE_POOL_SIZE ?? DEFAULT_POOL_SIZES[role];
}
