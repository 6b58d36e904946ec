import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { parseMetrics } from '../support/metrics-text.js';
import { startNodeScript, waitFor, type ServiceProcess } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

/**
 * The whole system as users run it: `npm start`'s entry point with DATABASE_URL set (API and
 * worker as child processes), driven over real HTTP.
 */
describe('the system started by npm start', () => {
  let db: TestDatabase;
  let system: ServiceProcess;
  let api: string;
  let workerHealth: string;

  beforeAll(async () => {
    db = await createTestDatabase({ migrate: false });
    const [apiPort, workerPort] = [await anyFreePort(), await anyFreePort()];
    api = `http://127.0.0.1:${apiPort}`;
    workerHealth = `http://127.0.0.1:${workerPort}/health`;
    system = startNodeScript('scripts/dist/start.js', {
      DATABASE_URL: db.url,
      API_PORT: String(apiPort),
      WORKER_PORT: String(workerPort),
      WORKER_ID: 'e2e-worker',
      WORKER_POLLING_INTERVAL_MS: '100',
      RETRY_BASE_DELAY_MS: '200',
      LOG_LEVEL: 'warn',
    });
    // Generous: start.js migrates, then starts two Node processes; on a loaded 2-core machine
    // that has taken over 10 s.
    const patience = { timeoutMs: 60_000 };
    await waitFor('the API to be healthy', async () => ((await fetch(`${api}/monitor/health`)).ok ? true : undefined), patience);
    await waitFor('the worker to be healthy', async () => ((await fetch(workerHealth)).ok ? true : undefined), patience);
  }, 150_000);

  afterAll(async () => {
    if (system.child.exitCode === null) system.child.kill('SIGKILL');
    await db.drop();
  });

  async function submit(body: object): Promise<string> {
    const response = await fetch(`${api}/tasks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { id: string }).id;
  }

  async function task(id: string): Promise<Record<string, any>> {
    return (await fetch(`${api}/tasks/${id}`)).json() as Promise<Record<string, any>>;
  }

  it('runs a submitted noop task to completed', async () => {
    const id = await submit({ task_name: 'noop' });
    const done = await waitFor('completed', async () => {
      const t = await task(id);
      return t.status === 'completed' ? t : undefined;
    });
    expect(done).toMatchObject({ attempts: 1, locked_by: null, last_error: null });
    expect(done.finished_at).not.toBeNull();
  });

  it('retries a failing task with growing gaps, then marks it failed for good', async () => {
    const id = await submit({ task_name: 'fail', payload: { message: 'boom' }, max_retries: 2 });
    const final = await waitFor('failed for good', async () => {
      const t = await task(id);
      return t.status === 'failed' && t.next_retry_at === null ? t : undefined;
    });
    expect(final).toMatchObject({ attempts: 3, max_retries: 2, last_error: 'boom' });
    expect(final.finished_at).not.toBeNull();
    // Each attempt's start as the task recorded it: sampling the task while it runs can miss
    // an attempt on a loaded machine.
    const history = final.attempt_history as Array<{ attempt: number; started_at: string; outcome: string }>;
    expect(history.map((record) => [record.attempt, record.outcome])).toEqual([
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
    ]);
    const starts = history.map((record) => Date.parse(record.started_at));
    // Only lower bounds: the database holds a retry back until now() + delay, whatever the load.
    expect(starts[1]! - starts[0]!).toBeGreaterThanOrEqual(200);
    expect(starts[2]! - starts[1]!).toBeGreaterThanOrEqual(400);
  });

  async function slotFreed(): Promise<void> {
    await waitFor('the slot freed', async () => {
      const health = (await (await fetch(workerHealth)).json()) as { running: number };
      return health.running === 0 ? true : undefined;
    });
  }

  it('cancels a running task on its worker with DELETE ?force=true, and runs it again after POST /retry', async () => {
    const id = await submit({ task_name: 'sleep', payload: { ms: 600_000 }, max_retries: 0 });
    await waitFor('running', async () => ((await task(id)).status === 'running' ? true : undefined));

    const cancel = await fetch(`${api}/tasks/${id}?force=true`, { method: 'DELETE' });
    expect(cancel.status).toBe(204);
    // The sleep handler stops on its signal: the worker's slot is free again.
    await slotFreed();
    const cancelled = await task(id);
    expect(cancelled).toMatchObject({ status: 'cancelled', locked_by: null });
    expect(cancelled.attempt_history).toEqual([expect.objectContaining({ attempt: 1, worker_id: 'e2e-worker', outcome: 'cancelled' })]);

    const retry = await fetch(`${api}/tasks/${id}/retry`, { method: 'POST' });
    expect(retry.status).toBe(200);
    await waitFor('running again', async () => ((await task(id)).status === 'running' ? true : undefined));
    expect((await fetch(`${api}/tasks/${id}?force=true`, { method: 'DELETE' })).status).toBe(204);
    await slotFreed();
    const final = await task(id);
    expect(final.status).toBe('cancelled');
    expect(final.attempt_history.map((record: { outcome: string }) => record.outcome)).toEqual(['cancelled', 'cancelled']);
  });

  it('reports the worker health on WORKER_PORT', async () => {
    const response = await fetch(workerHealth);
    expect(response.status).toBe(200);
    const health = (await response.json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', worker_id: 'e2e-worker', database: 'ok', running: 0 });
    expect(health.processed).toBeGreaterThanOrEqual(4);
  });

  it('runs the API and the worker on the Node.js that runs the tests (CI runs the suite on 20 and on 24)', async () => {
    const workerMetrics = workerHealth.replace(/\/health$/, '/metrics');
    for (const url of [`${api}/metrics`, workerMetrics]) {
      const samples = parseMetrics(await (await fetch(url)).text());
      const version = samples.find((sample) => sample.name === 'nodejs_version_info')?.labels.version;
      expect(version, url).toBe(process.version);
    }
  });

  it('stops the API and the worker on SIGTERM and exits 0', async () => {
    system.child.kill('SIGTERM');
    expect(await system.exited).toBe(0);
    await expect(fetch(`${api}/monitor/health`)).rejects.toThrow();
  });
});

describe('start-up configuration errors', () => {
  it('exits 1 naming the bad variable', async () => {
    const run = startNodeScript('scripts/dist/start.js', {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/never',
      WORKER_MAX_CONCURRENT_TASKS: 'lots',
    });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('WORKER_MAX_CONCURRENT_TASKS');
  });

  it('refuses a DATABASE_URL that is not a PostgreSQL URL', async () => {
    const run = startNodeScript('apps/api/dist/main.js', { DATABASE_URL: 'mysql://localhost/x' });
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain('DATABASE_URL');
  });
});
