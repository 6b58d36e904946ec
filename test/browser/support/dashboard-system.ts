import { anyFreePort } from '../../../packages/core/src/embedded/ports.js';
import { startNodeScript, waitFor, type ServiceProcess } from '../../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';

export interface DashboardSystem {
  db: TestDatabase;
  apiUrl: string;
  /** http://127.0.0.1:<port>/dashboard/ */
  dashboardUrl: string;
  workerId: string;
  /** Calls the API directly (with the token when there is one): to arrange data and check outcomes. */
  api<T = any>(path: string, init?: { method?: string; body?: unknown }): Promise<{ status: number; body: T }>;
  /** Both services' output so far, for failure messages. */
  output(): string;
  stop(): Promise<void>;
}

export interface DashboardSystemOptions {
  apiToken?: string;
  /** Extra worker environment (WORKER_CONCURRENCY, say). */
  workerEnv?: Record<string, string>;
}

/**
 * The system as users run it, built (`npm run build`) and started as real processes on a
 * database of its own: the API (which serves the dashboard) and one worker with the built-in
 * handlers (noop, sleep, fail, http). Short polling and retry delays keep tests quick.
 */
export async function startDashboardSystem(options: DashboardSystemOptions = {}): Promise<DashboardSystem> {
  const db = await createTestDatabase();
  const [apiPort, workerPort] = [await anyFreePort(), await anyFreePort()];
  const workerId = `browser-worker-${workerPort}`;
  const common = { DATABASE_URL: db.url, LOG_LEVEL: 'warn', ...(options.apiToken ? { API_TOKEN: options.apiToken } : {}) };
  const services: ServiceProcess[] = [
    startNodeScript('apps/api/dist/main.js', { ...common, API_PORT: String(apiPort), API_HOST: '127.0.0.1' }),
    startNodeScript('apps/workers/dist/main.js', {
      ...common,
      WORKER_PORT: String(workerPort),
      WORKER_ID: workerId,
      WORKER_POLLING_INTERVAL_MS: '100',
      WORKER_HEARTBEAT_INTERVAL_MS: '1000',
      RETRY_BASE_DELAY_MS: '200',
      WORKER_SHUTDOWN_TIMEOUT_MS: '2000',
      ...options.workerEnv,
    }),
  ];
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const output = () => services.map((service) => service.output()).join('\n');
  const stop = async () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill('SIGTERM');
    await Promise.all(services.map((service) => service.exited));
    await db.drop();
  };
  try {
    await waitFor('the API to be healthy', async () => (await fetch(`${apiUrl}/monitor/health`)).ok, { timeoutMs: 30_000 });
    await waitFor('the worker to be healthy', async () => (await fetch(`http://127.0.0.1:${workerPort}/health`)).ok, {
      timeoutMs: 30_000,
    });
  } catch (error) {
    await stop();
    throw new Error(`${(error as Error).message}\nservice output:\n${output()}`, { cause: error });
  }
  const api: DashboardSystem['api'] = async (path, init = {}) => {
    const headers: Record<string, string> = {};
    if (options.apiToken) headers.authorization = `Bearer ${options.apiToken}`;
    if (init.body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(apiUrl + path, {
      method: init.method ?? 'GET',
      headers,
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : undefined };
  };
  return { db, apiUrl, dashboardUrl: `${apiUrl}/dashboard/`, workerId, api, output, stop };
}

/** Submits a task through the API (POST /tasks) to arrange a test's data; fails unless it was created. */
export async function submitTask(system: DashboardSystem, body: Record<string, unknown>): Promise<string> {
  const response = await system.api<{ id: string }>('/tasks', { method: 'POST', body });
  if (response.status !== 201) throw new Error(`POST /tasks answered ${response.status}: ${JSON.stringify(response.body)}`);
  return response.body.id;
}
