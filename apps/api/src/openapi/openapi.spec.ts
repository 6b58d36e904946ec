import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { parseConfig } from '@taskforge/core';
// ajv comes with Fastify (its validator); the spec's JSON schemas are checked with the same engine.
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { createApiApp } from '../create-api-app.js';
import { createTaskRequest } from '../tasks/task-requests.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** `METHOD /path/{param}` for every route Fastify serves, as the spec would name it; /docs* and automatic HEAD/OPTIONS left out. */
function specKey(method: string, url: string): string | null {
  if (url.startsWith('/docs') || method === 'HEAD' || method === 'OPTIONS') return null;
  return `${method} ${url.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}

describe('OpenAPI spec', () => {
  let db: TestDatabase;
  let app: NestFastifyApplication;
  /** Collected by an onRoute hook while Nest registers its routes: what the server really serves. */
  const served = new Set<string>();
  let spec: any;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createApiApp(parseConfig({ DATABASE_URL: db.url, LOG_LEVEL: 'silent' }));
    app
      .getHttpAdapter()
      .getInstance()
      .addHook('onRoute', (route) => {
        for (const method of [route.method].flat()) {
          const key = specKey(method, route.url);
          if (key) served.add(key);
        }
      });
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    spec = (await app.inject({ method: 'GET', url: '/docs-json' })).json();
  });
  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('is served at /docs-json, and the interactive page at /docs', async () => {
    expect(spec.openapi).toMatch(/^3\./);
    expect(spec.info.title).toBe('taskforge API');
    const page = await app.inject({ method: 'GET', url: '/docs' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('swagger-ui');
    const init = await app.inject({ method: 'GET', url: '/docs/swagger-ui-init.js' });
    expect(init.statusCode).toBe(200);
    expect(init.body).toContain('/tasks/{id}');
  });

  it('documents every route the server serves, and no route it does not serve', () => {
    const documented = new Set<string>();
    for (const [path, item] of Object.entries<any>(spec.paths)) {
      for (const method of METHODS) if (item[method]) documented.add(`${method.toUpperCase()} ${path}`);
    }
    expect(served.size).toBeGreaterThanOrEqual(7);
    expect(
      [...served].filter((route) => !documented.has(route)),
      'served but missing from the spec',
    ).toEqual([]);
    expect(
      [...documented].filter((route) => !served.has(route)),
      'in the spec but not served',
    ).toEqual([]);
  });

  it('gives every operation a success response and every error response the shared error body', () => {
    for (const [path, item] of Object.entries<any>(spec.paths)) {
      for (const method of METHODS) {
        const operation = item[method];
        if (!operation) continue;
        const statuses = Object.keys(operation.responses);
        expect(
          statuses.some((status) => status.startsWith('2')),
          `${method} ${path} success`,
        ).toBe(true);
        for (const status of statuses.filter((s) => Number(s) >= 400 && !(path === '/monitor/health' && s === '503'))) {
          expect(operation.responses[status].content?.['application/json']?.schema, `${method} ${path} ${status}`).toEqual({
            $ref: '#/components/schemas/Error',
          });
        }
      }
    }
    expect(spec.components.schemas.Error.required).toEqual(['statusCode', 'error', 'message']);
  });

  it('requires the bearer token everywhere but GET /monitor/health, and documents the 401', () => {
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(spec.security).toEqual([{ bearer: [] }]);
    expect(spec.paths['/monitor/health'].get.security).toEqual([]);
    expect(spec.paths['/monitor/health'].get.responses['401']).toBeUndefined();
    for (const route of served) {
      if (route === 'GET /monitor/health') continue;
      const [method, path] = route.split(' ') as [string, string];
      const operation = spec.paths[path][method.toLowerCase()];
      expect(operation.security, route).toBeUndefined();
      expect(operation.responses['401'], route).toBeDefined();
    }
  });

  it('names the path parameters of every route with an {id}, as UUIDs', () => {
    const withId = Object.entries(spec.paths as Record<string, Record<string, { parameters?: Array<{ in: string }> }>>).filter(([path]) =>
      path.includes('{id}'),
    );
    expect(withId.map(([path]) => path)).toEqual(expect.arrayContaining(['/tasks/{id}', '/tasks/{id}/retry', '/schedules/{id}']));
    for (const [path, operations] of withId) {
      for (const [method, operation] of Object.entries(operations)) {
        const pathParameters = (operation.parameters ?? []).filter((parameter) => parameter.in === 'path');
        expect(pathParameters, `${method} ${path}`).toEqual([
          expect.objectContaining({ name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }),
        ]);
      }
    }
  });

  it('resolves every $ref', () => {
    const refs = JSON.stringify(spec).match(/"\$ref":"[^"]+"/g) ?? [];
    expect(refs.length).toBeGreaterThan(10);
    for (const ref of new Set(refs)) {
      const name = /#\/components\/schemas\/([^"]+)/.exec(ref)?.[1];
      expect(name && spec.components.schemas[name], ref).toBeTruthy();
    }
  });

  it('shows the task as GET /tasks/:id returns it, every field required', () => {
    const task = spec.components.schemas.Task;
    expect(spec.paths['/tasks/{id}'].get.responses['200'].content['application/json'].schema).toEqual({
      $ref: '#/components/schemas/Task',
    });
    expect(task.required).toEqual(Object.keys(task.properties));
    expect(task.properties.status.enum).toEqual(['pending', 'running', 'completed', 'failed', 'cancelled']);
    expect(task.properties.attempt_history.items).toEqual({ $ref: '#/components/schemas/AttemptRecord' });
  });

  describe('the documented POST /tasks body agrees with the validation', () => {
    const ajv = new Ajv({ strict: false, validateFormats: false });
    const validate = () => {
      const body = spec.paths['/tasks'].post.requestBody.content['application/json'].schema;
      return ajv.compile({ ...body, components: spec.components });
    };
    // Refinements JSON Schema cannot say (calendar dates, trimming, U+0000) are left out: the spec is the shape.
    const samples: [string, unknown][] = [
      ['the smallest task', { task_name: 'a' }],
      [
        'every field',
        { task_name: 'a', payload: [1, { b: null }], scheduled_at: '2030-01-01T09:00:00Z', priority: -5, max_retries: 0, timeout_ms: 1 },
      ],
      ['a null payload', { task_name: 'a', payload: null }],
      ['no task_name', { payload: {} }],
      ['an empty task_name', { task_name: '' }],
      ['a task_name of 256 characters', { task_name: 'x'.repeat(256) }],
      ['a number as task_name', { task_name: 1 }],
      ['an unknown field', { task_name: 'a', extra: true }],
      ['a fractional priority', { task_name: 'a', priority: 1.5 }],
      ['priority beyond int32', { task_name: 'a', priority: 2 ** 31 }],
      ['negative max_retries', { task_name: 'a', max_retries: -1 }],
      ['max_retries above 1000', { task_name: 'a', max_retries: 1_001 }],
      ['timeout_ms 0', { task_name: 'a', timeout_ms: 0 }],
      ['scheduled_at a number', { task_name: 'a', scheduled_at: 5 }],
    ];
    it.each(samples)('%s', async (_case, body) => {
      const real = createTaskRequest.safeParse(body).success;
      expect(validate()(body), JSON.stringify(ajv.errors)).toBe(real);
      const res = await app.inject({ method: 'POST', url: '/tasks', payload: body as never });
      expect(res.statusCode, res.body).toBe(real ? 201 : 400);
    });
  });
});
