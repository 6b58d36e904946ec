import { hostname } from 'node:os';
import { Injectable, Module, type INestApplicationContext, type OnModuleInit } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { metricValue, parseMetrics, type Sample } from '../../../../test/support/metrics-text.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { add, startWorkerApp, waitFor, waitForTask } from '../../test/worker-test-app.js';
import { HealthServer } from '../health/health-server.js';
import type { TaskHandler } from '../worker/task-handler.interface.js';
import { TaskRegistryService } from '../worker/task-registry.service.js';
import { WorkerModule } from '../worker/worker.module.js';
import { WorkerService } from '../worker/worker.service.js';

/** Runs until the test lets it go, so a running task shows in the worker's row. */
@Injectable()
class HoldHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'hold';
  static release: (() => void) | undefined;

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(HoldHandler.TASK_NAME, this);
  }

  execute(): Promise<void> {
    return new Promise((resolve) => {
      HoldHandler.release = resolve;
    });
  }
}

@Module({ imports: [WorkerModule], providers: [HoldHandler] })
class HoldModule {}

const WORKER_ID = 'metrics-spec-worker';

describe('the worker app: GET /metrics and its row in task_workers', () => {
  let db: TestDatabase;
  let app: INestApplicationContext | undefined;
  let baseUrl: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startWorkerApp(db.url, {
      imports: [HoldModule],
      env: { WORKER_ID, WORKER_HEARTBEAT_INTERVAL_MS: '100', WORKER_MAX_CONCURRENT_TASKS: '3' },
    });
    const port = await app.get(HealthServer).listen(0, '127.0.0.1');
    baseUrl = `http://127.0.0.1:${port}`;
  });

  afterAll(async () => {
    HoldHandler.release?.();
    await app?.close();
    await db?.drop();
  });

  async function scrape(): Promise<Sample[]> {
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    return parseMetrics(await response.text());
  }

  async function workerRow() {
    const { rows } = await db.pool.query('select * from task_workers where id = $1', [WORKER_ID]);
    return rows[0];
  }

  it('serves Prometheus text on WORKER_PORT next to /health', async () => {
    const response = await fetch(`${baseUrl}/metrics`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
    expect(await response.text()).toContain('# TYPE taskforge_worker_task_duration_seconds histogram');
    expect((await fetch(`${baseUrl}/nope`)).status).toBe(404);
  });

  it('counts what the worker did: claims, completions, failures, retries, run times and its pool', async () => {
    const tasks = await Promise.all([
      add(db.pool, { task_name: 'noop' }),
      add(db.pool, { task_name: 'noop' }),
      add(db.pool, { task_name: 'fail', payload: { message: 'for the metrics' }, max_retries: 1 }),
    ]);
    await waitForTask(db.pool, tasks[0].id, 'completed');
    await waitForTask(db.pool, tasks[1].id, 'completed');
    await waitForTask(db.pool, tasks[2].id, 'failed');
    await waitFor('every attempt recorded', () => app!.get(WorkerService).counters.processed === 4);

    const samples = await scrape();
    const value = (name: string, labels: Record<string, string> = {}) => metricValue(samples, name, labels);
    expect(value('taskforge_worker_claimed_tasks_total')).toBe(4);
    expect(value('taskforge_worker_tasks_completed_total', { task_name: 'noop' })).toBe(2);
    expect(value('taskforge_worker_tasks_failed_total', { task_name: 'fail' })).toBe(2);
    expect(value('taskforge_worker_task_retries_total', { task_name: 'fail' })).toBe(1);
    expect(value('taskforge_worker_tasks_failed_permanently_total', { task_name: 'fail' })).toBe(1);
    expect(value('taskforge_worker_task_duration_seconds_count', { task_name: 'noop', outcome: 'completed' })).toBe(2);
    expect(value('taskforge_worker_task_duration_seconds_count', { task_name: 'fail', outcome: 'failed' })).toBe(2);
    expect(value('taskforge_worker_running_tasks')).toBe(0);
    // The worker's default pool (DATABASE_POOL_SIZE unset): see DEFAULT_POOL_SIZES.
    expect(value('taskforge_db_pool_max_connections')).toBe(4);
    expect(value('taskforge_db_pool_connections')).toBeGreaterThanOrEqual(1);
  });

  it('registers itself in task_workers with its host, pid, concurrency and task names', async () => {
    const row = await waitFor('the worker row', workerRow);
    expect(row).toEqual({
      id: WORKER_ID,
      host: hostname(),
      pid: process.pid,
      started_at: expect.any(Date),
      last_seen_at: expect.any(Date),
      concurrency: 3,
      task_names: expect.arrayContaining(['noop', 'fail', 'sleep', 'http', 'hold']),
      running: 0,
    });
  });

  it('reports its running count with each heartbeat', async () => {
    HoldHandler.release = undefined;
    const task = await add(db.pool, { task_name: HoldHandler.TASK_NAME });
    await waitFor('the hold handler to start', () => HoldHandler.release !== undefined);
    await waitFor('the row to show one running task', async () => (await workerRow())?.running === 1);
    const during = await scrape();
    expect(metricValue(during, 'taskforge_worker_running_tasks')).toBe(1);
    HoldHandler.release!();
    await waitForTask(db.pool, task.id, 'completed');
    await waitFor('the row to show none running', async () => (await workerRow())?.running === 0);
  });

  it('removes its row when it stops cleanly', async () => {
    expect(await workerRow()).toBeDefined();
    await app!.close();
    app = undefined;
    expect(await workerRow()).toBeUndefined();
  });
});
