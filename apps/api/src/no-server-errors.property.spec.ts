import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseConfig } from '@taskforge/core';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';
import { startApi } from '../test/api-test-app.js';
import { requestArbitrary, type DocumentedRoute } from '../test/request-arbitraries.js';
import { createApiApp } from './create-api-app.js';
import { createOpenApiDocument } from './openapi/openapi-document.js';

/*
 * Throws random requests at every route of the OpenAPI spec (so routes added later are covered
 * without touching this file) and checks the API never answers 5xx and keeps serving. A 503
 * would be legitimate only with the database down, which it is not here, so any 5xx fails.
 * Reproduce a failure with the seed it prints: FAST_CHECK_SEED=<seed> npx vitest run <this file>.
 */

const SEED = Number(process.env.FAST_CHECK_SEED ?? 20_261_127);
const RUNS_PER_ROUTE = Number(process.env.FAST_CHECK_RUNS ?? 100);
const TOKEN = 'property-token-0123456789';
const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** The routes as the spec lists them, read at collection time so each gets its own test. */
async function documentedRoutes(): Promise<DocumentedRoute[]> {
  // No query runs: the pool only connects on first use, so an unreachable URL is fine here.
  const app = await createApiApp(parseConfig({ DATABASE_URL: 'postgres://unused@127.0.0.1:1/unused', LOG_LEVEL: 'silent' }));
  try {
    const spec = createOpenApiDocument(app) as any;
    const schemas = spec.components?.schemas ?? {};
    return Object.entries<any>(spec.paths).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => {
        const operation = item[method];
        const parameters: any[] = operation.parameters ?? [];
        return {
          method: method.toUpperCase(),
          path,
          query: Object.fromEntries(parameters.filter((p) => p.in === 'query').map((p) => [p.name as string, p.schema])),
          body: operation.requestBody?.content?.['application/json']?.schema,
          schemas,
        };
      }),
    );
  } finally {
    await app.close();
  }
}

const routes = await documentedRoutes();

/** Every error answers `{statusCode, error, message}` with its status. */
function hasErrorShape(body: string, statusCode: number): boolean {
  try {
    const parsed = JSON.parse(body);
    return parsed.statusCode === statusCode && typeof parsed.error === 'string' && typeof parsed.message === 'string';
  } catch {
    return false;
  }
}

describe('no request makes the API answer 5xx or stop serving', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  /** Ids of tasks that exist, in several states, so random requests also reach real rows. */
  const knownIds: string[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startApi(db.url, { API_TOKEN: TOKEN });
    const auth = { authorization: `Bearer ${TOKEN}` };
    for (const task_name of ['prop-a', 'prop-b', 'prop-c']) {
      const res = await app.inject({ method: 'POST', url: '/tasks', headers: auth, payload: { task_name, payload: { n: 1 } } });
      knownIds.push(res.json().id);
    }
    await app.inject({ method: 'DELETE', url: `/tasks/${knownIds[2]}`, headers: auth });
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('covers the routes the spec lists', () => {
    expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual(
      expect.arrayContaining([
        'POST /tasks',
        'POST /tasks/batch',
        'GET /tasks/{id}',
        'PATCH /tasks/{id}',
        'DELETE /tasks/{id}',
        'GET /monitor/stats',
      ]),
    );
  });

  it.each(routes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s',
    async (_name, route) => {
      let failure = '';
      const details = await fc.check(
        fc.asyncProperty(requestArbitrary(route, knownIds, TOKEN), async (request) => {
          const res = await app.inject({
            method: request.method as never,
            url: request.url,
            headers: request.headers,
            payload: request.payload,
          });
          const isErrorBody = res.statusCode < 400 || request.method === 'HEAD' || hasErrorShape(res.body, res.statusCode);
          if (res.statusCode < 500 && isErrorBody) return true;
          failure = `${request.method} ${request.url.slice(0, 200)} ${JSON.stringify(request.headers)} ${String(request.payload).slice(0, 300)} => ${res.statusCode} ${res.body.slice(0, 300)}`;
          return false;
        }),
        { seed: SEED, numRuns: RUNS_PER_ROUTE },
      );
      // fast-check's own report prints the whole counterexample, megabytes for a huge body: this one is short.
      expect(details.failed, `seed ${details.seed}, path ${details.counterexamplePath}, after ${details.numRuns} runs: ${failure}`).toBe(
        false,
      );
      const health = await app.inject({ method: 'GET', url: '/monitor/health' });
      expect(health.statusCode).toBe(200);
    },
    120_000,
  );
});
