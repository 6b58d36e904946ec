import { randomUUID } from 'node:crypto';
import { createServer, type Server, type Socket } from 'node:net';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { claimTasks, completeTasks, failTask } from '@taskforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi, useApi } from '../../test/api-test-app.js';

const WORKER = 'spec-worker';
const ZERO_STATS = {
  pending: 0,
  running: 0,
  completed: 0,
  failed: 0,
  cancelled: 0,
  failed_awaiting_retry: 0,
  failed_permanently: 0,
  total: 0,
};

/** Times one request, so a test can tell a prompt 503 from a hang. */
async function timed<T>(work: () => Promise<T>): Promise<{ result: T; ms: number }> {
  const start = performance.now();
  const result = await work();
  return { result, ms: performance.now() - start };
}

function expectUnavailable(res: { statusCode: number; json(): any }) {
  expect(res.statusCode).toBe(503);
  expect(res.json()).toEqual({
    statusCode: 503,
    error: 'Service Unavailable',
    message: expect.stringContaining('database'),
  });
}

describe('monitor API', () => {
  const api = useApi();

  it('GET /monitor/health answers 200 { status: "ok" } while the database answers', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/monitor/health' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('GET /monitor/stats counts every status, zeros included, and tracks each transition', async () => {
    /** The counts the seed asks for; the other fields are pinned by monitor-stats.spec.ts. */
    const stats = async () => {
      const res = await api.app.inject({ method: 'GET', url: '/monitor/stats' });
      expect(res.statusCode).toBe(200);
      const body = res.json();
      return Object.fromEntries(Object.keys(ZERO_STATS).map((key) => [key, body[key]]));
    };
    expect(await stats()).toEqual(ZERO_STATS);

    const name = `stats-${randomUUID()}`;
    const ids: string[] = [];
    for (let i = 0; i < 7; i++) {
      // Priorities make the claim order (and so which task ends in which state) deterministic.
      const res = await api.app.inject({ method: 'POST', url: '/tasks', payload: { task_name: name, priority: 10 - i, max_retries: 1 } });
      expect(res.statusCode).toBe(201);
      ids.push(res.json().id);
    }
    expect(await stats()).toEqual({ ...ZERO_STATS, pending: 7, total: 7 });

    expect((await api.app.inject({ method: 'DELETE', url: `/tasks/${ids[6]}` })).statusCode).toBe(204);
    expect(await stats()).toEqual({ ...ZERO_STATS, pending: 6, cancelled: 1, total: 7 });

    const claimed = await claimTasks(api.db.pool, { workerId: WORKER, taskNames: [name], limit: 4 });
    expect(claimed.map((t) => t.id)).toEqual(ids.slice(0, 4));
    expect(await stats()).toEqual({ ...ZERO_STATS, pending: 2, running: 4, cancelled: 1, total: 7 });

    const [toComplete, toRetry, toKill] = claimed.map((t) => ({ id: t.id, attempt: t.attempts, workerId: WORKER }));
    expect(await completeTasks(api.db.pool, { workerId: WORKER, tasks: [toComplete!] })).toEqual([toComplete!.id]);
    expect(await failTask(api.db.pool, { ...toRetry!, error: 'boom', retryDelayMs: 3_600_000 })).not.toBeNull();
    expect(await failTask(api.db.pool, { ...toKill!, error: 'boom', retryDelayMs: 0, retryable: false })).not.toBeNull();

    expect(await stats()).toEqual({
      pending: 2,
      running: 1,
      completed: 1,
      failed: 2,
      cancelled: 1,
      failed_awaiting_retry: 1,
      failed_permanently: 1,
      total: 7,
    });
  });

  it('answers 404 in the error shape for an unknown monitor route', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/monitor/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ statusCode: 404, error: 'Not Found', message: expect.any(String) });
  });
});

describe('when the database is unreachable (connection refused)', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    // Port 1 is closed: every connection attempt is refused at once.
    app = await startApi('postgres://postgres@127.0.0.1:1/x');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('GET /monitor/health answers 503 with status "error" within a few seconds', async () => {
    const { result: res, ms } = await timed(() => app.inject({ method: 'GET', url: '/monitor/health' }));
    expect(ms).toBeLessThan(4_000);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({
      status: 'error',
      statusCode: 503,
      error: 'Service Unavailable',
      message: expect.stringContaining('database unreachable'),
    });
  });

  it('every endpoint that needs the database answers 503 promptly, never 500', async () => {
    const id = randomUUID();
    const requests = [
      { method: 'POST', url: '/tasks', payload: { task_name: 'a' } },
      { method: 'GET', url: `/tasks/${id}` },
      { method: 'DELETE', url: `/tasks/${id}` },
      { method: 'PATCH', url: `/tasks/${id}`, payload: { scheduled_at: '2030-01-01T00:00:00Z' } },
      { method: 'GET', url: '/monitor/stats' },
    ] as const;
    for (const request of requests) {
      const { result: res, ms } = await timed(() => app.inject(request));
      expect(ms, `${request.method} ${request.url}`).toBeLessThan(4_000);
      expectUnavailable(res);
    }
  });

  it('still validates first: a bad body or id is a 400, not a 503', async () => {
    const bad = await app.inject({ method: 'POST', url: '/tasks', payload: { task_name: '' } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toContain('task_name');
    expect((await app.inject({ method: 'GET', url: '/tasks/not-a-uuid' })).statusCode).toBe(400);
  });
});

describe('when the database accepts connections but never answers', () => {
  let server: Server;
  const sockets = new Set<Socket>();
  let app: NestFastifyApplication;

  beforeAll(async () => {
    server = createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    app = await startApi(`postgres://postgres@127.0.0.1:${port}/x`);
  });
  afterAll(async () => {
    await app?.close();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('GET /monitor/health gives up and answers 503 within a few seconds', async () => {
    const { result: res, ms } = await timed(() => app.inject({ method: 'GET', url: '/monitor/health' }));
    expect(ms).toBeLessThan(4_500);
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ status: 'error', statusCode: 503, message: expect.stringContaining('database unreachable') });
  });

  it('POST /tasks answers 503 after the connection timeout instead of hanging', async () => {
    const { result: res, ms } = await timed(() => app.inject({ method: 'POST', url: '/tasks', payload: { task_name: 'a' } }));
    expect(ms).toBeLessThan(7_000);
    expectUnavailable(res);
  });
});
