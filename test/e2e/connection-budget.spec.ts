import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSchedule } from '../../packages/core/src/index.js';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { DEFAULT_POOL_SIZES } from '../../packages/core/src/config/pool-size.js';
import { ConnectionSampler, type ConnectionSamples } from '../support/connection-sampler.js';
import { startNodeScript, waitFor, type ServiceProcess } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startFixtureWorker, type WorkerProcess } from '../support/workers.js';

const TASKS = 2_000;
/** Requests in flight at once: four times the API's pool, so requests queue for its connections. */
const SUBMITTERS = 40;
const WORKER_ID = 'budget-worker';

/**
 * The connection budget, measured: a real API and a real worker (concurrency 50, default pool
 * sizes) under a burst of submissions, with retention, schedules and short leases all at work,
 * while pg_stat_activity is sampled. A worker holds at most its pool plus its one LISTEN
 * connection; the API at most its pool.
 */
describe('connections within budget', () => {
  let db: TestDatabase;
  let api: ServiceProcess;
  let apiUrl: string;
  let worker: WorkerProcess;
  let samples: ConnectionSamples;

  beforeAll(async () => {
    db = await createTestDatabase();
    const apiPort = await anyFreePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    // Empty: the role's default pool, whatever the environment running the tests says.
    api = startNodeScript('apps/api/dist/main.js', {
      DATABASE_URL: db.url,
      DATABASE_POOL_SIZE: '',
      API_PORT: String(apiPort),
      LOG_LEVEL: 'warn',
    });
    worker = await startFixtureWorker(db.url, WORKER_ID, {
      DATABASE_POOL_SIZE: '',
      WORKER_MAX_CONCURRENT_TASKS: '50',
      // Retention and the schedule firer take their connections from the same pool.
      TASK_RETENTION_COMPLETED: '1s',
      TASK_RETENTION_INTERVAL_MS: '200',
      SCHEDULER_INTERVAL_MS: '100',
    });
    await waitFor('the API to be healthy', async () => ((await fetch(`${apiUrl}/monitor/health`)).ok ? true : undefined), {
      timeoutMs: 60_000,
    });
  }, 120_000);

  afterAll(async () => {
    for (const service of [api, worker]) if (service && service.child.exitCode === null) service.child.kill('SIGKILL');
    await db?.drop();
  });

  async function submitAll(): Promise<void> {
    let next = 0;
    const body = JSON.stringify({ task_name: 'sleep', payload: { ms: 20 }, max_retries: 0 });
    const submitter = async () => {
      while (next < TASKS) {
        next += 1;
        const response = await fetch(`${apiUrl}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
        if (response.status !== 201) throw new Error(`POST /tasks answered ${response.status}: ${await response.text()}`);
      }
    };
    // The heavier monitoring queries run alongside, on the same pool.
    const watcher = async () => {
      while (next < TASKS) {
        const response = await fetch(`${apiUrl}/monitor/stats`);
        if (!response.ok) throw new Error(`GET /monitor/stats answered ${response.status}`);
      }
    };
    await Promise.all([...Array.from({ length: SUBMITTERS }, submitter), watcher()]);
  }

  it('runs a burst at concurrency 50 through the default pools', async () => {
    await createSchedule(db.pool, { name: 'every-second', cron: '* * * * * *', task_name: 'noop' });
    const sampler = await ConnectionSampler.start(db.url);
    try {
      await submitAll();
      await waitFor(
        'every submitted task to finish',
        async () => {
          const { rows } = await db.pool.query<{ n: number }>(
            "select count(*)::int as n from tasks where task_name = 'sleep' and status in ('pending', 'running')",
          );
          return rows[0]!.n === 0;
        },
        { timeoutMs: 180_000 },
      );
    } finally {
      samples = await sampler.stop();
    }
    const { rows } = await db.pool.query<{ n: number }>("select count(*)::int as n from tasks where status = 'failed'");
    expect(rows[0]!.n).toBe(0);
    const health = (await (await fetch(worker.healthUrl)).json()) as { processed: number };
    expect(health.processed).toBeGreaterThanOrEqual(TASKS);
    // The samples were taken while the worker was busy, not only before or after.
    expect(samples.whileRunning).toBeGreaterThan(0);
  }, 240_000);

  it('kept the worker within its pool plus one listener connection', () => {
    const pool = samples.maxByApplication.get(`taskforge-worker ${WORKER_ID}`) ?? 0;
    const listener = samples.maxByApplication.get(`taskforge-listener ${WORKER_ID}`) ?? 0;
    expect(pool).toBeGreaterThan(0);
    expect(pool).toBeLessThanOrEqual(DEFAULT_POOL_SIZES.worker);
    expect(listener).toBe(1);
    // The schedule firer shares the worker's listener instead of opening its own.
    expect(samples.maxByApplication.has('taskforge-schedule-listener')).toBe(false);
  });

  it('kept the API within its pool', () => {
    const apiConnections = samples.maxByApplication.get('taskforge-api') ?? 0;
    expect(apiConnections).toBeGreaterThan(0);
    expect(apiConnections).toBeLessThanOrEqual(DEFAULT_POOL_SIZES.api);
  });
});
