import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseConfig } from '@taskforge/core';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { createApiApp } from '../src/create-api-app.js';

/** The API in-process, ready for `app.inject(…)` (no port opened), on the given database. */
export async function startApi(databaseUrl: string, env: Record<string, string> = {}): Promise<NestFastifyApplication> {
  const app = await createApiApp(parseConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', DEFAULT_MAX_RETRIES: '3', ...env }));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}

/**
 * A database of its own and an API on it for the calling test file (created before its first
 * test, closed and dropped after its last); read `db` and `app` inside tests and hooks.
 */
export function useApi(): { readonly db: TestDatabase; readonly app: NestFastifyApplication } {
  let db: TestDatabase | undefined;
  let app: NestFastifyApplication | undefined;
  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApi(db.url);
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });
  return {
    get db() {
      return db!;
    },
    get app() {
      return app!;
    },
  };
}
