import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPool, migrateUp, startEmbeddedPostgres, type Pool, type RunningEmbeddedPostgres } from '../../packages/core/src/index.js';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { createExecutionsTable } from '../../scripts/src/fixtures/executions-table.js';
import { startNodeScript, waitFor, type ServiceProcess } from '../support/processes.js';
import { startFixtureWorker, type WorkerProcess } from '../support/workers.js';

/**
 * PostgreSQL itself goes away mid-run: the test owns an embedded server so it can stop and
 * start it. Nothing accepted before the outage may be lost, and the processes must carry on
 * by themselves.
 */
describe('a PostgreSQL restart in the middle of a run', () => {
  const root = mkdtempSync(`${tmpdir()}/taskforge-restart-spec-`);
  // As root, the server runs as the postgres user, who must be able to reach its data dir.
  chmodSync(root, 0o755);
  const dataDir = `${root}/pg`;
  let server: RunningEmbeddedPostgres;
  let pool: Pool;
  let api: ServiceProcess;
  let apiUrl: string;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    server = await startEmbeddedPostgres({ dataDir, port: await anyFreePort() });
    pool = createPool({ connectionString: server.url, max: 4 });
    await migrateUp(pool);
    await createExecutionsTable(pool);
    const apiPort = await anyFreePort();
    apiUrl = `http://127.0.0.1:${apiPort}`;
    api = startNodeScript('apps/api/dist/main.js', { DATABASE_URL: server.url, API_PORT: String(apiPort), LOG_LEVEL: 'warn' });
    await waitFor('the API', async () => ((await fetch(`${apiUrl}/monitor/health`)).ok ? true : undefined));
  });

  afterAll(async () => {
    for (const worker of workers) worker.child.kill('SIGKILL');
    api?.child.kill('SIGKILL');
    await pool?.end().catch(() => undefined);
    await server?.stop();
    rmSync(root, { recursive: true, force: true });
  });

  async function completedCount(): Promise<number> {
    const { rows } = await pool.query(`select count(*)::int as n from tasks where status = 'completed'`);
    return rows[0].n;
  }

  it('loses nothing: the API answers 503 during the outage, and every task completes afterwards', async () => {
    await pool.query(
      `insert into tasks (task_name, payload, max_retries)
       select 'record', '{"ms": 10}', 5 from generate_series(1, 1000)`,
    );
    for (const id of ['r1', 'r2']) {
      workers.push(await startFixtureWorker(server.url, id, { WORKER_LEASE_MS: '10000', WORKER_HEARTBEAT_INTERVAL_MS: '1000' }));
    }
    await waitFor('the drain to get going', async () => ((await completedCount()) >= 100 ? true : undefined), { timeoutMs: 60_000 });

    const port = new URL(server.url).port;
    await pool.end();
    await server.stop();

    // The API stays up and says so quickly, instead of hanging or crashing.
    const started = performance.now();
    const health = await fetch(`${apiUrl}/monitor/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'error' });
    const submit = await fetch(`${apiUrl}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ task_name: 'record' }),
    });
    expect(submit.status).toBe(503);
    expect(((await submit.json()) as { message: string }).message).toContain('database unavailable');
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(api.child.exitCode).toBeNull();
    for (const worker of workers) expect(worker.child.exitCode).toBeNull();

    await new Promise((resolve) => setTimeout(resolve, 2_000));
    server = await startEmbeddedPostgres({ dataDir, port: Number(port) });
    expect(String(new URL(server.url).port)).toBe(port);
    pool = createPool({ connectionString: server.url, max: 4 });

    // Accepted during recovery too.
    await waitFor(
      'the API to accept tasks again',
      async () => {
        const response = await fetch(`${apiUrl}/tasks`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ task_name: 'record' }),
        });
        return response.status === 201 ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );

    await waitFor('every task to complete', async () => ((await completedCount()) === 1_001 ? true : undefined), { timeoutMs: 120_000 });
    const { rows } = await pool.query(`select status, count(*)::int as n from tasks group by status`);
    expect(rows).toEqual([{ status: 'completed', n: 1_001 }]);
    const { rows: ran } = await pool.query('select count(distinct task_id)::int as n from task_executions');
    expect(ran[0].n).toBe(1_001);
    for (const worker of workers) expect(worker.child.exitCode).toBeNull();
  });
});
