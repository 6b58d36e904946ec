import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { startNodeScript, waitFor, type ServiceProcess } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const HEALTH_SCRIPT = 'scripts/dist/container-health.js';

/** Runs the image's HEALTHCHECK command as Docker would, with the container's ports. */
async function healthcheck(ports: { api: number; worker: number }): Promise<{ code: number | string; output: string }> {
  const run = startNodeScript(HEALTH_SCRIPT, { API_PORT: String(ports.api), WORKER_PORT: String(ports.worker), LOG_LEVEL: 'silent' });
  const code = await run.exited;
  return { code, output: run.output() };
}

/** Starts a built service and waits until its health URL answers at all (200 or 503). */
async function startService(script: string, env: Record<string, string>, healthUrl: string): Promise<ServiceProcess> {
  const service = startNodeScript(script, { LOG_LEVEL: 'warn', ...env });
  await waitFor(`${script} to listen`, async () => (await fetch(healthUrl)).status > 0, { timeoutMs: 60_000 });
  return service;
}

async function stop(service: ServiceProcess | undefined): Promise<void> {
  if (!service || service.child.exitCode !== null) return;
  service.child.kill('SIGTERM');
  await service.exited;
}

/**
 * The container HEALTHCHECK (scripts/src/container-health.ts), against the real built API and
 * worker. Each test starts Node processes (about 3 s each on an idle machine, several times that
 * on a loaded CI runner): hence the generous timeout.
 */
describe('the image health check', { timeout: 120_000 }, () => {
  let db: TestDatabase;
  const running: ServiceProcess[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await Promise.all(running.map(stop));
    await db?.drop();
  });

  async function freePorts(): Promise<{ api: number; worker: number }> {
    return { api: await anyFreePort(), worker: await anyFreePort() };
  }

  it('is healthy in an API container whose database answers', async () => {
    const ports = await freePorts();
    const env = { DATABASE_URL: db.url, API_PORT: String(ports.api), WORKER_PORT: String(ports.worker) };
    running.push(await startService('apps/api/dist/main.js', env, `http://127.0.0.1:${ports.api}/monitor/health`));
    const result = await healthcheck(ports);
    expect(result.output).toContain(`api http://127.0.0.1:${ports.api}/monitor/health: 200`);
    expect(result.code).toBe(0);
  });

  it('is healthy in a worker container whose database answers', async () => {
    const ports = await freePorts();
    const env = { DATABASE_URL: db.url, API_PORT: String(ports.api), WORKER_PORT: String(ports.worker), WORKER_ID: 'health-check-worker' };
    running.push(await startService('apps/workers/dist/main.js', env, `http://127.0.0.1:${ports.worker}/health`));
    const result = await healthcheck(ports);
    expect(result.output).toContain(`worker http://127.0.0.1:${ports.worker}/health: 200`);
    expect(result.output).toContain('"worker_id":"health-check-worker"');
    expect(result.code).toBe(0);
  });

  it('is unhealthy when the service cannot reach its database', async () => {
    const ports = await freePorts();
    // Nothing listens on port 1: the API starts, and its health endpoint answers 503.
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/x', API_PORT: String(ports.api), WORKER_PORT: String(ports.worker) };
    running.push(await startService('apps/api/dist/main.js', env, `http://127.0.0.1:${ports.api}/monitor/health`));
    const result = await healthcheck(ports);
    expect(result.output).toContain(`api http://127.0.0.1:${ports.api}/monitor/health: 503`);
    expect(result.code).toBe(1);
  });

  it('is unhealthy when nothing listens', async () => {
    const ports = await freePorts();
    const result = await healthcheck(ports);
    expect(result.output).toContain('nothing listens on');
    expect(result.code).toBe(1);
  });
});
