import { createHash } from 'node:crypto';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { startApi } from '../../test/api-test-app.js';
import { tokenMatches, UNAUTHORIZED_MESSAGE } from './bearer-token.js';

const TOKEN = 'spec-token-0123456789abcdef';
const ORIGIN = 'https://ops.example.com';
const JSON_HEADERS = { 'content-type': 'application/json' };

describe('API security', () => {
  let db: TestDatabase;
  const apps: NestFastifyApplication[] = [];
  async function api(env: Record<string, string>) {
    const app = await startApi(db.url, env);
    apps.push(app);
    return app;
  }
  const taskCount = async () => (await db.pool.query('select count(*)::int as n from tasks')).rows[0].n as number;

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await db?.drop();
  });

  describe('with API_TOKEN set', () => {
    let app: NestFastifyApplication;
    /** Every route the spec documents, with its path parameters filled in. */
    let routes: { method: string; url: string }[];
    beforeAll(async () => {
      app = await api({ API_TOKEN: TOKEN });
      const spec = (await app.inject({ method: 'GET', url: '/docs-json', headers: { authorization: `Bearer ${TOKEN}` } })).json();
      routes = Object.entries<Record<string, unknown>>(spec.paths).flatMap(([path, item]) =>
        Object.keys(item).map((method) => ({
          method: method.toUpperCase(),
          url: path.replace(/\{[^}]+\}/g, '6f1c0a4e-0d4b-4c36-9b0e-3f1a2b3c4d5e'),
        })),
      );
    });

    function expectUnauthorized(res: { statusCode: number; headers: Record<string, unknown>; json(): unknown }, context: string) {
      expect(res.statusCode, context).toBe(401);
      expect(res.headers['www-authenticate'], context).toBe('Bearer');
      expect(res.json(), context).toEqual({ statusCode: 401, error: 'Unauthorized', message: UNAUTHORIZED_MESSAGE });
    }

    it('refuses every route but GET /monitor/health without the token, /docs included and unknown URLs too', async () => {
      expect(routes.length).toBeGreaterThanOrEqual(7);
      const urls = [
        ...routes,
        { method: 'GET', url: '/docs' },
        { method: 'GET', url: '/docs-json' },
        { method: 'GET', url: '/docs/swagger-ui.css' },
        { method: 'GET', url: '/nope' },
      ];
      for (const { method, url } of urls) {
        if (method === 'GET' && url === '/monitor/health') continue;
        expectUnauthorized(
          await app.inject({ method: method as never, url, payload: method === 'GET' || method === 'DELETE' ? undefined : {} }),
          `${method} ${url}`,
        );
      }
      expect(await taskCount()).toBe(0);
    });

    it('answers GET and HEAD /monitor/health without a token', async () => {
      expect((await app.inject({ method: 'GET', url: '/monitor/health' })).json()).toEqual({ status: 'ok' });
      expect((await app.inject({ method: 'HEAD', url: '/monitor/health' })).statusCode).toBe(200);
    });

    it('refuses a wrong token, a longer or shorter one, another scheme and an empty bearer', async () => {
      const headers = [
        `Bearer ${TOKEN.slice(0, -1)}x`,
        `Bearer ${TOKEN}x`,
        `Bearer ${TOKEN.slice(0, 5)}`,
        `Basic ${Buffer.from(`user:${TOKEN}`).toString('base64')}`,
        TOKEN,
        'Bearer ',
        'Bearer',
        `Bearer ${TOKEN} extra`,
      ];
      for (const authorization of headers) {
        expectUnauthorized(await app.inject({ method: 'GET', url: '/monitor/stats', headers: { authorization } }), authorization);
      }
    });

    it('lets the right token through, the scheme in any case', async () => {
      for (const scheme of ['Bearer', 'bearer', 'BEARER']) {
        const res = await app.inject({ method: 'GET', url: '/monitor/stats', headers: { authorization: `${scheme} ${TOKEN}` } });
        expect(res.statusCode, scheme).toBe(200);
      }
      const created = await app.inject({
        method: 'POST',
        url: '/tasks',
        headers: { authorization: `Bearer ${TOKEN}` },
        payload: { task_name: 'authorised' },
      });
      expect(created.statusCode).toBe(201);
      const docs = await app.inject({ method: 'GET', url: '/docs', headers: { authorization: `Bearer ${TOKEN}` } });
      expect(docs.statusCode).toBe(200);
      await db.pool.query('truncate tasks');
    });

    it('compares digests of equal length, whatever the length presented', () => {
      const expected = createHash('sha256').update(TOKEN).digest();
      expect(tokenMatches(TOKEN, expected)).toBe(true);
      expect(tokenMatches(`${TOKEN}!`, expected)).toBe(false);
      expect(tokenMatches('', expected)).toBe(false);
      expect(tokenMatches('x'.repeat(10_000), expected)).toBe(false);
      expect(tokenMatches(undefined, expected)).toBe(false);
    });
  });

  describe('without API_TOKEN', () => {
    it('needs no token', async () => {
      const app = await api({});
      expect((await app.inject({ method: 'GET', url: '/monitor/stats' })).statusCode).toBe(200);
      expect((await app.inject({ method: 'GET', url: '/docs-json' })).statusCode).toBe(200);
    });
  });

  describe('request bodies', () => {
    let app: NestFastifyApplication;
    beforeAll(async () => {
      app = await api({ API_MAX_BODY_BYTES: '2048' });
    });

    it('answers a body over API_MAX_BODY_BYTES with 413 naming the limit, and stores nothing', async () => {
      const body = JSON.stringify({ task_name: 'big', payload: 'x'.repeat(2048) });
      const res = await app.inject({ method: 'POST', url: '/tasks', payload: body, headers: JSON_HEADERS });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toEqual({
        statusCode: 413,
        error: 'Payload Too Large',
        message: 'body is larger than the limit of 2048 bytes (API_MAX_BODY_BYTES)',
      });
      const batch = await app.inject({ method: 'POST', url: '/tasks/batch', payload: `{"tasks":[${body}]}`, headers: JSON_HEADERS });
      expect(batch.statusCode).toBe(413);
      expect(await taskCount()).toBe(0);
    });

    it('takes a body just under the limit', async () => {
      const body = JSON.stringify({ task_name: 'fits', payload: 'x'.repeat(1900) });
      const res = await app.inject({ method: 'POST', url: '/tasks', payload: body, headers: JSON_HEADERS });
      expect(res.statusCode, res.body).toBe(201);
      await db.pool.query('truncate tasks');
    });

    it('answers invalid JSON with 400, an empty JSON body with 400, and other content types with 415', async () => {
      const invalid = await app.inject({ method: 'POST', url: '/tasks', payload: '{"task_name": "a",', headers: JSON_HEADERS });
      expect(invalid.json()).toEqual({
        statusCode: 400,
        error: 'Bad Request',
        message: 'body is not valid JSON (content-type is application/json)',
      });
      const empty = await app.inject({ method: 'POST', url: '/tasks', payload: '', headers: JSON_HEADERS });
      expect(empty.statusCode).toBe(400);
      expect(empty.json().message).toMatch(/^body is empty/);
      const xml = await app.inject({ method: 'POST', url: '/tasks', payload: '<task/>', headers: { 'content-type': 'application/xml' } });
      expect(xml.statusCode).toBe(415);
      expect(xml.json()).toEqual({
        statusCode: 415,
        error: 'Unsupported Media Type',
        message: 'content-type "application/xml" is not supported: send JSON with content-type application/json',
      });
    });

    it('takes any JSON value as payload, stored as sent', async () => {
      for (const payload of [{ a: [1] }, [1, 'two'], 'text', 42, -0.5, true, false, null]) {
        const res = await app.inject({ method: 'POST', url: '/tasks', payload: { task_name: 'any', payload } });
        expect(res.statusCode, JSON.stringify(payload)).toBe(201);
        const task = await app.inject({ method: 'GET', url: `/tasks/${res.json().id}` });
        expect(task.json().payload).toEqual(payload);
      }
      await db.pool.query('truncate tasks');
    });
  });

  describe('CORS', () => {
    const preflight = (app: NestFastifyApplication, origin: string, method = 'PATCH') =>
      app.inject({
        method: 'OPTIONS',
        url: '/tasks/6f1c0a4e-0d4b-4c36-9b0e-3f1a2b3c4d5e',
        headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': 'authorization,content-type' },
      });

    it('is off without API_CORS_ORIGINS: no preflight answer, no CORS headers', async () => {
      const app = await api({});
      const res = await preflight(app, ORIGIN);
      expect(res.statusCode).toBe(404);
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
      const get = await app.inject({ method: 'GET', url: '/monitor/stats', headers: { origin: ORIGIN } });
      expect(get.headers['access-control-allow-origin']).toBeUndefined();
    });

    describe('with API_CORS_ORIGINS and API_TOKEN set', () => {
      let app: NestFastifyApplication;
      beforeAll(async () => {
        app = await api({ API_CORS_ORIGINS: `${ORIGIN}, https://other.example.com`, API_TOKEN: TOKEN });
      });

      it('allows a listed origin: preflight 204 without a token, with the methods and headers the API needs', async () => {
        const res = await preflight(app, ORIGIN);
        expect(res.statusCode).toBe(204);
        expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
        expect(String(res.headers['access-control-allow-methods']).split(/,\s*/)).toEqual(
          expect.arrayContaining(['GET', 'POST', 'PATCH', 'DELETE']),
        );
        expect(res.headers['access-control-allow-headers']).toBe('authorization,content-type');
        const get = await app.inject({
          method: 'GET',
          url: '/monitor/stats',
          headers: { origin: ORIGIN, authorization: `Bearer ${TOKEN}` },
        });
        expect(get.statusCode).toBe(200);
        expect(get.headers['access-control-allow-origin']).toBe(ORIGIN);
      });

      it('refuses an unlisted origin: no allow-origin header', async () => {
        const res = await preflight(app, 'https://evil.example.com');
        expect(res.headers['access-control-allow-origin']).toBeUndefined();
        const get = await app.inject({
          method: 'GET',
          url: '/monitor/stats',
          headers: { origin: 'https://evil.example.com', authorization: `Bearer ${TOKEN}` },
        });
        expect(get.headers['access-control-allow-origin']).toBeUndefined();
      });

      it('lets a listed origin read a 401, so a browser app can tell the user', async () => {
        const res = await app.inject({ method: 'GET', url: '/monitor/stats', headers: { origin: ORIGIN } });
        expect(res.statusCode).toBe(401);
        expect(res.headers['access-control-allow-origin']).toBe(ORIGIN);
      });
    });
  });
});
