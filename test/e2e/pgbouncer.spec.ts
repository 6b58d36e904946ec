import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, migrateUp, readMigrations, type Pool } from '../../packages/core/src/index.js';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { PGBOUNCER_MISSING_MESSAGE, pgbouncerAvailable, startPgBouncer, type RunningPgBouncer } from '../support/pgbouncer.js';
import { startNodeScript, waitFor, type ServiceProcess } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startFixtureWorker, type WorkerProcess } from '../support/workers.js';

if (!pgbouncerAvailable) console.warn(PGBOUNCER_MISSING_MESSAGE);

/**
 * The deployment behind PgBouncer in transaction mode, with a real PgBouncer: migrations,
 * the API and the worker's pool all go through it (prepared statements off, since a
 * transaction's server connection is any of the pool's); the worker's LISTEN connection goes
 * to the server directly (DATABASE_LISTEN_URL). Polling and schedule intervals are a minute
 * long, so work picked up within seconds shows the hints arrive.
 */
describe.skipIf(!pgbouncerAvailable)('behind PgBouncer in transaction mode', () => {
  let db: TestDatabase;
  let bouncer: RunningPgBouncer;
  let api: ServiceProcess;
  let apiUrl: string;
  let worker: WorkerProcess;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    bouncer = await startPgBouncer(db.url, 3);
  }, 60_000);

  afterAll(async () => {
    for (const service of [api, worker]) if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
    await bouncer?.stop();
    await db?.drop();
  });

  const through = (url: string) => ({ DATABASE_URL: url, DATABASE_PREPARED_STATEMENTS: 'off' });

  it('migrates through it, two migrators at once (the lock is per transaction)', async () => {
    const pools: Pool[] = [1, 2].map(() => createPool({ connectionString: bouncer.url, max: 2, applicationName: 'taskforge-migrate' }));
    try {
      const [a, b] = await Promise.all(pools.map((pool) => migrateUp(pool)));
      expect([...a.applied, ...b.applied].sort()).toEqual(readMigrations().map((m) => m.id));
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  }, 60_000);

  it('runs the API and a worker through it, with LISTEN on a direct connection', async () => {
    const apiPort = await anyFreePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    api = startNodeScript('apps/api/dist/main.js', { ...through(bouncer.url), API_PORT: String(apiPort), LOG_LEVEL: 'warn' });
    worker = await startFixtureWorker(bouncer.url, 'bouncer-worker', {
      DATABASE_PREPARED_STATEMENTS: 'off',
      DATABASE_LISTEN_URL: db.url,
      WORKER_POLLING_INTERVAL_MS: '60000',
      SCHEDULER_INTERVAL_MS: '60000',
    });
    await waitFor('the API to be healthy', async () => ((await fetch(`${apiUrl}/monitor/health`)).ok ? true : undefined), {
      timeoutMs: 60_000,
    });

    const post = async (path: string, body: unknown) => {
      const response = await fetch(`${apiUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return response.json() as Promise<Record<string, unknown>>;
    };
    const tasks = Array.from({ length: 300 }, () => ({ task_name: 'noop', max_retries: 0 }));
    await post('/tasks/batch', { tasks });
    await waitFor('300 tasks completed', async () => (await countTasks("status = 'completed'")) === 300, { timeoutMs: 30_000 });

    // Schedules: created through the API, whose hint reaches the firer over the direct LISTEN.
    await post('/schedules', { name: 'every-second', cron: '* * * * * *', task_name: 'noop' });
    await waitFor('a scheduled task', async () => (await countTasks('schedule_id is not null')) >= 1, { timeoutMs: 20_000 });

    // The monitoring queries (named ones included) and the worker registry work through it too.
    for (const path of ['/monitor/stats', '/monitor/workers', '/monitor/throughput']) {
      const response = await fetch(`${apiUrl}${path}`);
      expect(response.status, path).toBe(200);
    }
    const live = (await (await fetch(`${apiUrl}/monitor/workers`)).json()) as { workers: Array<{ id: string }> };
    expect(live.workers.map((row) => row.id)).toEqual(['bouncer-worker']);
    expect(`${worker.output()}${api.output()}`).not.toMatch(/prepared statement|advisory/i);
  }, 180_000);

  async function countTasks(where: string): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from tasks where ${where}`);
    return rows[0]!.n;
  }
});
