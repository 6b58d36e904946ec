// `npm run generate --workspace packages/client`: builds the OpenAPI document from the real API
// application (its built controllers and zod schemas, as /docs-json serves it) and writes its
// types to src/generated/openapi.ts. No database is needed: the pool only connects on a query.
import { writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parseConfig } from '@taskforge/core';
import { createApiApp } from '../../../apps/api/dist/create-api-app.js';
import { createOpenApiDocument } from '../../../apps/api/dist/openapi/openapi-document.js';
import { GENERATED_FILE, renderOpenApiTypes } from './openapi-types.mjs';

const app = await createApiApp(parseConfig({ DATABASE_URL: 'postgres://127.0.0.1:1/unused', LOG_LEVEL: 'silent' }));
try {
  const text = await renderOpenApiTypes(createOpenApiDocument(app));
  const target = fileURLToPath(new URL(`../${GENERATED_FILE}`, import.meta.url));
  await writeFile(target, text);
  console.log(`wrote ${target}`);
} finally {
  await app.close();
}
