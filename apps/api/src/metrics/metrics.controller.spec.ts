import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { addTask, cancelTask } from '@taskforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, parseMetrics, type Sample } from '../../../../test/support/metrics-text.js';
import { startApi, useApi } from '../../test/api-test-app.js';

async function scrape(app: NestFastifyApplication): Promise<Sample[]> {
  const res = await app.inject({ method: 'GET', url: '/metrics' });
  expect(res.statusCode).toBe(200);
  return parseMetrics(res.body);
}

describe('GET /metrics on the API', () => {
  const api = useApi();

  it('answers in the Prometheus text format', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/metrics' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(res.body).toContain('# TYPE taskforge_tasks gauge');
    expect(res.body).toContain('# TYPE process_cpu_seconds_total counter');
  });

  it('reports tasks by status and task name, queue lag and table health, read from the database', async () => {
    await addTask(api.db.pool, { task_name: 'email', max_retries: 0, scheduled_at: new Date(Date.now() - 30_000) });
    await addTask(api.db.pool, { task_name: 'email', max_retries: 0 });
    const cancelled = await addTask(api.db.pool, { task_name: 'report', max_retries: 0 });
    await cancelTask(api.db.pool, cancelled.id);

    const samples = await scrape(api.app);
    const tasks = (status: string, taskName: string) => metricValue(samples, 'taskforge_tasks', { status, task_name: taskName });
    expect(tasks('pending', 'email')).toBe(2);
    expect(tasks('completed', 'email')).toBe(0);
    expect(tasks('cancelled', 'report')).toBe(1);
    expect(tasks('pending', 'report')).toBe(0);
    expect(metricValue(samples, 'taskforge_queue_stats_up')).toBe(1);
    expect(metricValue(samples, 'taskforge_queue_lag_seconds')).toBeGreaterThanOrEqual(30);
    expect(metricValue(samples, 'taskforge_tasks_table_live_tuples')).toEqual(expect.any(Number));
    expect(metricValue(samples, 'taskforge_tasks_table_dead_tuples')).toEqual(expect.any(Number));
    expect(metricValue(samples, 'taskforge_db_oldest_transaction_age_seconds')).toEqual(expect.any(Number));
  });

  it('reports the pool: connections, idle ones, waiting requests and the maximum', async () => {
    const samples = await scrape(api.app);
    expect(metricValue(samples, 'taskforge_db_pool_max_connections')).toBe(10);
    expect(metricValue(samples, 'taskforge_db_pool_connections')).toBeGreaterThanOrEqual(1);
    expect(metricValue(samples, 'taskforge_db_pool_idle_connections')).toEqual(expect.any(Number));
    expect(metricValue(samples, 'taskforge_db_pool_waiting_requests')).toBe(0);
  });

  it('counts HTTP requests by method, route pattern and status code, with their durations', async () => {
    const id = '00000000-0000-4000-8000-000000000000';
    const before = await scrape(api.app);
    const count = (samples: Sample[], labels: Record<string, string>) => metricValue(samples, 'taskforge_http_requests_total', labels) ?? 0;
    const missing = { method: 'GET', route: '/tasks/:id', status_code: '404' };
    const unmatched = { method: 'GET', route: 'unmatched', status_code: '404' };

    expect((await api.app.inject({ method: 'GET', url: `/tasks/${id}` })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'GET', url: `/tasks/${id}` })).statusCode).toBe(404);
    expect((await api.app.inject({ method: 'GET', url: '/no/such/route' })).statusCode).toBe(404);

    const after = await scrape(api.app);
    expect(count(after, missing) - count(before, missing)).toBe(2);
    expect(count(after, unmatched) - count(before, unmatched)).toBe(1);
    expect(metricValue(after, 'taskforge_http_request_duration_seconds_count', missing)).toBe(count(after, missing));
  });
});

describe('GET /metrics on the API while the database is unreachable', () => {
  let app: NestFastifyApplication;

  beforeAll(async () => {
    app = await startApi('postgres://postgres@127.0.0.1:1/x');
  });
  afterAll(async () => {
    await app?.close();
  });

  it('still answers 200, with taskforge_queue_stats_up 0, no task counts and the single figures at 0', async () => {
    const samples = await scrape(app);
    expect(metricValue(samples, 'taskforge_queue_stats_up')).toBe(0);
    expect(samples.filter((sample) => sample.name === 'taskforge_tasks')).toEqual([]);
    expect(metricValue(samples, 'taskforge_queue_lag_seconds')).toBe(0);
    expect(metricValue(samples, 'taskforge_db_pool_max_connections')).toBe(10);
  });
});
