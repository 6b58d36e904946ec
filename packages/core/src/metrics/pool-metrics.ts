import type { Pool } from 'pg';
import { Gauge, type Registry } from 'prom-client';

/** The pg pool's connections, read when scraped: a pool with clients waiting is too small or stuck. */
export function registerPoolMetrics(registry: Registry, pool: Pool): void {
  const gauge = (name: string, help: string, read: () => number) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        this.set(read());
      },
    });
  gauge('taskforge_db_pool_connections', 'Connections the pool holds (idle and in use).', () => pool.totalCount);
  gauge('taskforge_db_pool_idle_connections', 'Connections of the pool not in use.', () => pool.idleCount);
  gauge('taskforge_db_pool_waiting_requests', 'Queries waiting for a connection of the pool.', () => pool.waitingCount);
  gauge(
    'taskforge_db_pool_max_connections',
    'Most connections the pool opens (DATABASE_POOL_SIZE, or the role default: API 10, worker 4).',
    () => pool.options.max ?? 10,
  );
}
