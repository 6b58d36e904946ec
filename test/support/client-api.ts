import type { AddressInfo } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { TaskforgeClient, type TaskforgeClientOptions } from '@taskforge/client';
import { afterAll, beforeAll } from 'vitest';
import { startApi } from '../../apps/api/test/api-test-app.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export interface ClientApi {
  readonly db: TestDatabase;
  readonly app: NestFastifyApplication;
  /** http://127.0.0.1:<port> of the listening API. */
  readonly baseUrl: string;
  /** A client of that API; options override the base URL and add a token, a fetch… */
  client(options?: Partial<TaskforgeClientOptions>): TaskforgeClient;
}

/**
 * A database of its own and the API on it, listening on a free port of 127.0.0.1 so the client
 * talks real HTTP through the global fetch; created before the file's first test, closed and
 * dropped after its last. `env` adds API settings (API_TOKEN, API_MAX_BODY_BYTES…).
 */
export function useClientApi(env: Record<string, string> = {}): ClientApi {
  let db: TestDatabase | undefined;
  let app: NestFastifyApplication | undefined;
  let baseUrl: string | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApi(db.url, env);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as AddressInfo;
    baseUrl = `http://127.0.0.1:${address.port}`;
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });
  const live = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the client API exists only inside tests and hooks');
    return value;
  };
  return {
    get db() {
      return live(db);
    },
    get app() {
      return live(app);
    },
    get baseUrl() {
      return live(baseUrl);
    },
    client: (options = {}) => new TaskforgeClient({ baseUrl: live(baseUrl), ...options }),
  };
}
