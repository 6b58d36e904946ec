import { readFile } from 'node:fs/promises';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseConfig, TASK_STATUSES as CORE_TASK_STATUSES } from '@taskforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiApp } from '../../../../apps/api/src/create-api-app.js';
import { createOpenApiDocument } from '../../../../apps/api/src/openapi/openapi-document.js';
import { MAX_BATCH_SIZE as API_MAX_BATCH_SIZE } from '../../../../apps/api/src/tasks/task-requests.js';
import { GENERATED_FILE, renderOpenApiTypes } from '../../scripts/openapi-types.mjs';
import { MAX_BATCH_SIZE } from '../client.js';
import { TASK_STATUSES } from '../types.js';

/*
 * The client cannot drift from the API: its types are the API's OpenAPI document run through
 * openapi-typescript, and this spec regenerates them from the application as it is now and
 * compares. The few values the types cannot carry (the batch limit, the status list) are
 * compared here too.
 */
describe('the generated client types', () => {
  let app: NestFastifyApplication;
  let document: ReturnType<typeof createOpenApiDocument>;

  beforeAll(async () => {
    // No database is reached: building the document only scans controllers and schemas.
    app = await createApiApp(parseConfig({ DATABASE_URL: 'postgres://127.0.0.1:1/unused', LOG_LEVEL: 'silent' }));
    document = createOpenApiDocument(app);
  });
  afterAll(async () => {
    await app?.close();
  });

  it('are what the API describes now', async () => {
    const checkedIn = await readFile(new URL(`../../${GENERATED_FILE}`, import.meta.url), 'utf8');
    const regenerated = await renderOpenApiTypes(document);
    expect(
      checkedIn,
      `packages/client/${GENERATED_FILE} differs from the API's OpenAPI document: run npm run generate --workspace packages/client, and commit it`,
    ).toBe(regenerated);
  });

  it('split batches at the API limit', () => {
    const batch = document.components?.schemas?.CreateTaskBatchRequest as { properties: { tasks: { maxItems: number } } };
    expect(batch.properties.tasks.maxItems).toBe(MAX_BATCH_SIZE);
    expect(API_MAX_BATCH_SIZE).toBe(MAX_BATCH_SIZE);
  });

  it('list the task statuses the API has', () => {
    const task = document.components?.schemas?.Task as { properties: { status: { enum: string[] } } };
    expect(TASK_STATUSES).toEqual(task.properties.status.enum);
    expect(TASK_STATUSES).toEqual(CORE_TASK_STATUSES);
  });
});
