import { afterAll, beforeAll } from 'vitest';
import { anyFreePort } from '../../../packages/core/src/embedded/ports.js';
import { startNodeScript, waitFor, type ServiceProcess } from '../../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../../support/test-database.js';
import { startFixtureWorker } from '../../support/workers.js';
import { runCli, type CliOptions, type CliRun } from './run-cli.js';

export const CLI_TOKEN = 'cli-spec-token-0123456789';

export interface CliSystem {
  db: TestDatabase;
  apiUrl: string;
  /** The CLI pointed at this system through API_URL and API_TOKEN, as a user's shell would. */
  cli: (args: readonly string[], options?: CliOptions) => Promise<CliRun>;
}

/**
 * A real API (with API_TOKEN set, so every command proves it sends the token) and a real
 * fixture worker (noop, fail, sleep, …) on a database of this test file's own, for the
 * whole file.
 */
export function useCliSystem(): CliSystem {
  let db: TestDatabase | undefined;
  let apiUrl = '';
  const services: ServiceProcess[] = [];
  beforeAll(async () => {
    db = await createTestDatabase();
    const port = await anyFreePort();
    apiUrl = `http://127.0.0.1:${port}`;
    const api = startNodeScript('apps/api/dist/main.js', {
      DATABASE_URL: db.url,
      API_PORT: String(port),
      API_HOST: '127.0.0.1',
      API_TOKEN: CLI_TOKEN,
      LOG_LEVEL: 'warn',
    });
    services.push(api);
    await waitFor(
      'the API to be healthy',
      async () => {
        if (api.child.exitCode !== null) throw new Error(`the API exited: ${api.output()}`);
        return (await fetch(`${apiUrl}/monitor/health`)).ok;
      },
      { timeoutMs: 60_000 },
    );
    services.push(await startFixtureWorker(db.url, `cli-worker-${port}`));
  }, 120_000);
  afterAll(async () => {
    for (const service of services) if (service.child.exitCode === null) service.child.kill('SIGTERM');
    await Promise.all(services.map((service) => service.exited));
    await db?.drop();
  });
  return {
    get db() {
      if (!db) throw new Error('the system exists only inside tests and hooks');
      return db;
    },
    get apiUrl() {
      return apiUrl;
    },
    cli: (args, options = {}) => runCli(args, { ...options, env: { API_URL: apiUrl, API_TOKEN: CLI_TOKEN, ...options.env } }),
  };
}
