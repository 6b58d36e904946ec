import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseConfig } from '@taskforge/core';
import { createApiApp } from '../src/create-api-app.js';

/** The API in-process, ready for `app.inject(…)` (no port opened), on the given database. */
export async function startApi(databaseUrl: string, env: Record<string, string> = {}): Promise<NestFastifyApplication> {
  const app = await createApiApp(
    parseConfig({ DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent', DEFAULT_MAX_RETRIES: '3', ...env }),
  );
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
