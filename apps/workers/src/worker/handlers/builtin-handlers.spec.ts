import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import { getTask, type Task } from '@taskforge/core';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../../test/support/test-database.js';
import { add, startWorkerApp, waitFor, waitForTask } from '../../../test/worker-test-app.js';

interface ReceivedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

describe('built-in handlers', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  let server: Server;
  let baseUrl: string;
  const received: ReceivedRequest[] = [];
  const pendingTimers = new Set<NodeJS.Timeout>();

  beforeAll(async () => {
    db = await createTestDatabase();
    // A local HTTP server for the `http` handler: loopback only, random port.
    server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        received.push({
          method: request.method!,
          url: request.url!,
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        const path = new URL(request.url!, 'http://127.0.0.1').pathname;
        if (path === '/ok' || path === '/echo') {
          response.writeHead(200, { 'content-type': 'text/plain' }).end('fine');
        } else if (path === '/error') {
          response.writeHead(500, { 'content-type': 'text/plain' }).end('internal trouble');
        } else if (path === '/binary-error') {
          response.writeHead(500, { 'content-type': 'application/octet-stream' }).end(Buffer.from([0x62, 0x00, 0x00, 0xff, 0x01, 0x7a]));
        } else if (path === '/slow') {
          const timer = setTimeout(() => {
            pendingTimers.delete(timer);
            if (!response.destroyed) response.writeHead(200).end('late');
          }, 5_000);
          pendingTimers.add(timer);
        } else {
          response.writeHead(404).end('not found');
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    app = await startWorkerApp(db.url);
  });

  afterAll(async () => {
    await app?.close();
    for (const timer of pendingTimers) clearTimeout(timer);
    server?.closeAllConnections();
    await new Promise((resolve) => server?.close(resolve));
    await db?.drop();
  });

  beforeEach(() => {
    received.length = 0;
  });

  function requestsTo(path: string): ReceivedRequest[] {
    return received.filter((r) => new URL(r.url, baseUrl).pathname === path);
  }

  /** A task that failed for good after exactly one attempt, though retries were left: a PermanentTaskError. */
  function expectPermanentFailure(task: Task) {
    expect(task.status).toBe('failed');
    expect(task.next_retry_at).toBeNull();
    expect(task.attempts).toBe(1);
    expect(task.max_retries).toBe(3);
    expect(task.finished_at).not.toBeNull();
  }

  describe('noop', () => {
    it('completes', async () => {
      const task = await add(db.pool, { task_name: 'noop' });
      const done = await waitForTask(db.pool, task.id, 'completed');
      expect(done.attempts).toBe(1);
      expect(done.last_error).toBeNull();
      expect(done.locked_by).toBeNull();
    });
  });

  describe('sleep', () => {
    it('completes after sleeping', async () => {
      const task = await add(db.pool, { task_name: 'sleep', payload: { ms: 50 } });
      const done = await waitForTask(db.pool, task.id, 'completed');
      expect(done.attempts).toBe(1);
      expect(done.finished_at!.getTime() - done.started_at!.getTime()).toBeGreaterThanOrEqual(40);
    });

    it.each([{ ms: -1 }, { ms: 'x' }, { ms: 1.5 }, {}])('fails for good at once on the invalid payload %j', async (payload) => {
      const task = await add(db.pool, { task_name: 'sleep', payload, max_retries: 3 });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expectPermanentFailure(failed);
      expect(failed.last_error).toMatch(/invalid payload for sleep/);
      expect(failed.last_error).toMatch(/\bms\b/);
    });
  });

  describe('fail', () => {
    it('fails every attempt and ends failed after 1 + max_retries attempts, never claimed again', async () => {
      const task = await add(db.pool, { task_name: 'fail', payload: { message: 'boom' }, max_retries: 2 });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.attempts).toBe(3);
      expect(failed.last_error).toBe('boom');
      expect(failed.locked_by).toBeNull();
      // Later claims pass it over: once these tasks ran, the worker has claimed several times since.
      for (let i = 0; i < 3; i += 1) {
        const later = await add(db.pool, { task_name: 'noop' });
        await waitForTask(db.pool, later.id, 'completed');
      }
      const after = await getTask(db.pool, task.id);
      expect(after.status).toBe('failed');
      expect(after.attempts).toBe(3);
      expect(after.next_retry_at).toBeNull();
      expect(after.updated_at).toEqual(failed.updated_at);
    });

    it('uses a default message without one', async () => {
      const task = await add(db.pool, { task_name: 'fail' });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.last_error).toBe('failed on purpose');
    });
  });

  describe('http', () => {
    it('completes on a 200 answer', async () => {
      const task = await add(db.pool, { task_name: 'http', payload: { url: `${baseUrl}/ok` } });
      const done = await waitForTask(db.pool, task.id, 'completed');
      expect(done.attempts).toBe(1);
      expect(requestsTo('/ok')).toHaveLength(1);
      expect(requestsTo('/ok')[0]!.method).toBe('GET');
    });

    it('fails the attempt on a 500 answer, and retries it', async () => {
      const task = await add(db.pool, { task_name: 'http', payload: { url: `${baseUrl}/error` }, max_retries: 1 });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.attempts).toBe(2);
      expect(failed.last_error).toMatch(/\b500\b/);
      expect(failed.last_error).toContain(`${baseUrl}/error`);
      expect(requestsTo('/error')).toHaveLength(2);
    });

    it('records a non-2xx answer whose body holds NUL bytes (which PostgreSQL text cannot store)', async () => {
      const task = await add(db.pool, { task_name: 'http', payload: { url: `${baseUrl}/binary-error` } });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.attempts).toBe(1);
      expect(failed.last_error).toMatch(/answered 500/);
      expect(failed.last_error).not.toContain('\u0000');
    });

    it('sends an object body as JSON, with the given method and headers', async () => {
      const task = await add(db.pool, {
        task_name: 'http',
        payload: {
          url: `${baseUrl}/echo?x=1`,
          method: 'POST',
          headers: { 'x-taskforge-test': 'yes', authorization: 'Bearer t0ken' },
          body: { hello: 'world', n: [1, 2, 3] },
        },
      });
      await waitForTask(db.pool, task.id, 'completed');
      const [request] = requestsTo('/echo');
      expect(request).toBeDefined();
      expect(request!.method).toBe('POST');
      expect(request!.url).toBe('/echo?x=1');
      expect(request!.headers['content-type']).toBe('application/json');
      expect(request!.headers['x-taskforge-test']).toBe('yes');
      expect(request!.headers.authorization).toBe('Bearer t0ken');
      expect(JSON.parse(request!.body)).toEqual({ hello: 'world', n: [1, 2, 3] });
    });

    it('sends a string body as it is, and keeps a given content-type', async () => {
      const task = await add(db.pool, {
        task_name: 'http',
        payload: { url: `${baseUrl}/echo`, method: 'PUT', headers: { 'Content-Type': 'text/csv' }, body: 'a,b\n1,2' },
      });
      await waitForTask(db.pool, task.id, 'completed');
      const [request] = requestsTo('/echo');
      expect(request!.method).toBe('PUT');
      expect(request!.headers['content-type']).toBe('text/csv');
      expect(request!.body).toBe('a,b\n1,2');
    });

    it('fails the attempt when the server answers later than timeout_ms', async () => {
      const task = await add(db.pool, { task_name: 'http', payload: { url: `${baseUrl}/slow`, timeout_ms: 100 } });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.attempts).toBe(1);
      expect(failed.last_error).toMatch(/timed out/);
      expect(failed.last_error).toContain('100 ms');
      expect(requestsTo('/slow')).toHaveLength(1);
    });

    it('fails the attempt when nothing listens on the port', async () => {
      // Find a loopback port that is free right now: listen, note it, close.
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
      const { port } = probe.address() as AddressInfo;
      await new Promise((resolve) => probe.close(resolve));
      const task = await add(db.pool, { task_name: 'http', payload: { url: `http://127.0.0.1:${port}/` } });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.last_error).toMatch(/failed/);
    });

    it.each([
      { url: 'not a url' },
      { url: 'ftp://127.0.0.1/file' },
      {},
      { url: 'http://127.0.0.1/', method: 'FETCH' },
      { url: 'http://127.0.0.1/', timeout_ms: 0 },
    ])('fails for good at once on the invalid payload %j', async (payload) => {
      const task = await add(db.pool, { task_name: 'http', payload, max_retries: 3 });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expectPermanentFailure(failed);
      expect(failed.last_error).toMatch(/invalid payload for http/);
      expect(received).toHaveLength(0);
    });

    it('names the url field on an invalid url', async () => {
      const task = await add(db.pool, { task_name: 'http', payload: { url: 'not a url' }, max_retries: 3 });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.last_error).toMatch(/\burl\b/);
    });
  });

  it('the worker stays healthy through all of the above', async () => {
    const task = await add(db.pool, { task_name: 'noop' });
    await waitForTask(db.pool, task.id, 'completed');
    await waitFor('no task left running', async () => {
      const { rows } = await db.pool.query(`select count(*)::int as n from tasks where status = 'running'`);
      return rows[0].n === 0;
    });
  });
});
