import { addTask, claimTasks, completeTasks } from '@taskforge/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait-for.js';
import { startApi, useApi } from '../../test/api-test-app.js';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('GET /monitor/stats: queue health', () => {
  const api = useApi();

  beforeEach(async () => {
    await api.db.pool.query('truncate tasks, task_workers');
  });

  async function stats() {
    const res = await api.app.inject({ method: 'GET', url: '/monitor/stats' });
    expect(res.statusCode).toBe(200);
    return res.json();
  }

  it('adds counts per task name, queue lag, tasks per worker, throughput and table health to the status counts', async () => {
    await addTask(api.db.pool, { task_name: 'email', max_retries: 0, scheduled_at: new Date(Date.now() - 60_000) });
    await addTask(api.db.pool, { task_name: 'email', max_retries: 0 });
    await addTask(api.db.pool, { task_name: 'report', max_retries: 0 });
    await addTask(api.db.pool, { task_name: 'report', max_retries: 0 });
    const [done, held] = await claimTasks(api.db.pool, { workerId: 'worker-7', taskNames: ['report'], limit: 2 });
    await completeTasks(api.db.pool, { workerId: 'worker-7', tasks: [{ id: done!.id, attempt: 1 }] });
    expect(held).toBeDefined();

    const body = await stats();
    expect(body).toEqual({
      pending: 2,
      running: 1,
      completed: 1,
      failed: 0,
      cancelled: 0,
      failed_awaiting_retry: 0,
      failed_permanently: 0,
      total: 4,
      counts: 'exact',
      by_task_name: {
        email: { pending: 2, running: 0, completed: 0, failed: 0, cancelled: 0, failed_awaiting_retry: 0, failed_permanently: 0, total: 2 },
        report: {
          pending: 0,
          running: 1,
          completed: 1,
          failed: 0,
          cancelled: 0,
          failed_awaiting_retry: 0,
          failed_permanently: 0,
          total: 2,
        },
      },
      queue_lag_ms: expect.any(Number),
      running_by_worker: { 'worker-7': 1 },
      throughput: { last_minute: { completed: 1, failed: 0 }, last_hour: { completed: 1, failed: 0 } },
      table: {
        n_live_tup: expect.any(Number),
        n_dead_tup: expect.any(Number),
        last_vacuum: null,
        last_autovacuum: null,
        last_analyze: null,
        last_autoanalyze: null,
        total_bytes: expect.any(Number),
        autovacuum_enabled: expect.any(Boolean),
      },
      vacuum_horizon: { oldest_transaction: null, prepared_transactions: 0, replication_slots_holding_xmin: 0 },
    });
    // The email task due a minute ago has waited at least that long.
    expect(body.queue_lag_ms).toBeGreaterThanOrEqual(60_000);
  });

  it('gives vacuum and analyze times as ISO 8601 strings once they ran', async () => {
    await addTask(api.db.pool, { task_name: 'email', max_retries: 0 });
    await api.db.pool.query('vacuum analyze tasks');
    const { table } = await waitFor('vacuum and analyze to show', async () => {
      const body = await stats();
      return body.table.last_vacuum && body.table.last_analyze && body;
    });
    expect(table.last_vacuum).toMatch(ISO_DATE);
    expect(table.last_analyze).toMatch(ISO_DATE);
  });
});

describe('GET /monitor/workers', () => {
  const api = useApi();

  beforeEach(async () => {
    await api.db.pool.query('truncate tasks, task_workers');
  });

  async function addWorker(id: string, lastSeenAgoMs: number, running = 0): Promise<void> {
    await api.db.pool.query(
      `insert into task_workers (id, host, pid, started_at, last_seen_at, concurrency, task_names, running)
       values ($1, 'host-1', 321, now() - interval '1 hour', now() - $2::float8 * interval '1 ms', 4, '{email,report}', $3)`,
      [id, lastSeenAgoMs, running],
    );
  }

  async function workers() {
    const res = await api.app.inject({ method: 'GET', url: '/monitor/workers' });
    expect(res.statusCode).toBe(200);
    return res.json().workers;
  }

  it('lists workers seen within 3 heartbeat intervals, with the tasks each holds: their count and the latest ones', async () => {
    // WORKER_HEARTBEAT_INTERVAL_MS defaults to 5 s: live means seen within 15 s.
    await addWorker('worker-a', 0, 2);
    await addWorker('worker-b', 10_000);
    await addWorker('worker-gone', 60_000);
    await addTask(api.db.pool, { task_name: 'email', max_retries: 0 });
    await addTask(api.db.pool, { task_name: 'email', max_retries: 0 });
    const claimed = await claimTasks(api.db.pool, { workerId: 'worker-a', taskNames: ['email'], limit: 2 });
    // Claimed in one statement, so started at the same time: listed by id then.
    const held = claimed
      .map((task) => ({ id: task.id, task_name: 'email', started_at: task.started_at!.toISOString(), attempts: 1 }))
      .sort((a, b) => a.id.localeCompare(b.id));

    expect(await workers()).toEqual([
      {
        id: 'worker-a',
        host: 'host-1',
        pid: 321,
        started_at: expect.stringMatching(ISO_DATE),
        last_seen_at: expect.stringMatching(ISO_DATE),
        concurrency: 4,
        task_names: ['email', 'report'],
        running: 2,
        held_tasks: 2,
        running_tasks: held,
      },
      expect.objectContaining({ id: 'worker-b', running: 0, held_tasks: 0, running_tasks: [] }),
    ]);
  });

  it('drops a worker that stops heartbeating', async () => {
    await addWorker('worker-a', 0);
    expect((await workers()).map((worker: { id: string }) => worker.id)).toEqual(['worker-a']);
    await api.db.pool.query(`update task_workers set last_seen_at = now() - interval '16 seconds'`);
    expect(await workers()).toEqual([]);
  });
});

describe('GET /monitor/workers while the database is unreachable', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startApi('postgres://postgres@127.0.0.1:1/x');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('answers 503 in the error shape, like every endpoint that needs the database', async () => {
    const res = await app.inject({ method: 'GET', url: '/monitor/workers' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ statusCode: 503, error: 'Service Unavailable', message: expect.stringContaining('database') });
  });
});
