import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { type INestApplicationContext, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { add, startWorkerApp, waitFor, waitForTask } from '../../test/worker-test-app.js';
import type { TaskHandler } from '../worker/task-handler.interface.js';
import { TaskRegistryService } from '../worker/task-registry.service.js';
import { WorkerModule } from '../worker/worker.module.js';
import { HealthServer } from './health-server.js';
import type { WorkerHealth } from './worker-health.service.js';

/** Runs until the test lets it go, so the health check can see a task running. */
@Injectable()
class GateHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'gate';
  static release: (() => void) | undefined;

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(GateHandler.TASK_NAME, this);
  }

  execute(): Promise<void> {
    return new Promise((resolve) => {
      GateHandler.release = resolve;
    });
  }
}

@Module({ imports: [WorkerModule], providers: [GateHandler] })
class GateModule {}

const healthUrls = new WeakMap<INestApplicationContext, string>();

/** Serves the app's health endpoint on a free loopback port, as WORKER_PORT would. */
async function serveHealth(app: INestApplicationContext): Promise<void> {
  const port = await app.get(HealthServer).listen(0, '127.0.0.1');
  healthUrls.set(app, `http://127.0.0.1:${port}/health`);
}

async function getHealth(app: INestApplicationContext): Promise<{ statusCode: number; body: WorkerHealth }> {
  const response = await fetch(healthUrls.get(app)!);
  return { statusCode: response.status, body: (await response.json()) as WorkerHealth };
}

describe('GET /health', () => {
  describe('with the database up', () => {
    let db: TestDatabase;
    let app: INestApplicationContext;

    beforeAll(async () => {
      db = await createTestDatabase();
      app = await startWorkerApp(db.url, { imports: [GateModule], env: { WORKER_ID: 'health-spec-worker-7' } });
      await serveHealth(app);
    });

    afterAll(async () => {
      GateHandler.release?.();
      await app?.close();
      await db?.drop();
    });

    it('answers 200 with status ok, the configured worker id, database ok and zero counters', async () => {
      const { statusCode, body } = await getHealth(app);
      expect(statusCode).toBe(200);
      expect(body).toEqual({
        status: 'ok',
        worker_id: 'health-spec-worker-7',
        database: 'ok',
        running: 0,
        processed: 0,
        completed: 0,
        failed: 0,
        leases_lost: 0,
        rescued: 0,
      });
    });

    it('counts processed, completed and failed attempts once tasks ran', async () => {
      const tasks = await Promise.all([
        add(db.pool, { task_name: 'noop' }),
        add(db.pool, { task_name: 'noop' }),
        add(db.pool, { task_name: 'fail', payload: { message: 'for the counters' }, max_retries: 1 }),
      ]);
      await waitForTask(db.pool, tasks[0].id, 'completed');
      await waitForTask(db.pool, tasks[1].id, 'completed');
      await waitForTask(db.pool, tasks[2].id, 'failed');
      const { statusCode, body } = await getHealth(app);
      expect(statusCode).toBe(200);
      // Two noop successes; the fail task's two attempts both count as failed.
      expect(body).toMatchObject({ status: 'ok', running: 0, processed: 4, completed: 2, failed: 2 });
    });

    it('shows a task as running while its handler runs', async () => {
      GateHandler.release = undefined;
      const task = await add(db.pool, { task_name: GateHandler.TASK_NAME });
      await waitFor('the gate handler to start', () => GateHandler.release !== undefined);
      const during = await getHealth(app);
      expect(during.body).toMatchObject({ status: 'ok', running: 1, processed: 4 });
      GateHandler.release!();
      await waitForTask(db.pool, task.id, 'completed');
      const after = await waitFor('the running count to drop', async () => {
        const health = await getHealth(app);
        return health.body.running === 0 && health;
      });
      expect(after.body).toMatchObject({ status: 'ok', running: 0, processed: 5, completed: 3, failed: 2 });
    });
  });

  describe('with the database unreachable', () => {
    let app: INestApplicationContext | undefined;

    beforeAll(async () => {
      // Nothing listens on port 1, so connections are refused at once.
      app = await startWorkerApp('postgres://postgres@127.0.0.1:1/x', { env: { WORKER_ID: 'lonely-worker' } });
      await serveHealth(app);
    });

    afterAll(async () => {
      await app?.close();
    });

    it('answers 503 with status error and database unreachable, within a few seconds', async () => {
      const started = Date.now();
      const { statusCode, body } = await getHealth(app!);
      expect(Date.now() - started).toBeLessThan(5_000);
      expect(statusCode).toBe(503);
      expect(body).toMatchObject({
        status: 'error',
        worker_id: 'lonely-worker',
        database: 'unreachable',
        running: 0,
        processed: 0,
        completed: 0,
        failed: 0,
        leases_lost: 0,
        rescued: 0,
      });
      expect(body.message).toMatch(/^database unreachable: /);
    });

    it('keeps answering (the failing claim loop does not crash the app)', async () => {
      for (let i = 0; i < 3; i += 1) {
        const { statusCode, body } = await getHealth(app!);
        expect(statusCode).toBe(503);
        expect(body.status).toBe('error');
      }
    });

    it('closes promptly', async () => {
      const started = Date.now();
      await app!.close();
      expect(Date.now() - started).toBeLessThan(5_000);
      app = undefined;
    });
  });

  describe('with a database that accepts connections but never answers', () => {
    let app: INestApplicationContext | undefined;
    let blackHole: Server;
    const sockets = new Set<Socket>();

    beforeAll(async () => {
      // A loopback TCP server that swallows everything: connections hang instead of failing.
      blackHole = createServer((socket) => {
        sockets.add(socket);
        socket.on('error', () => undefined);
        socket.on('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve) => blackHole.listen(0, '127.0.0.1', resolve));
      const { port } = blackHole.address() as AddressInfo;
      app = await startWorkerApp(`postgres://postgres@127.0.0.1:${port}/x`, { env: { WORKER_ID: 'hanging-worker' } });
      await serveHealth(app);
    });

    afterAll(async () => {
      await app?.close();
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => blackHole?.close(resolve));
    });

    it('still answers 503 within a few seconds', async () => {
      const started = Date.now();
      const { statusCode, body } = await getHealth(app!);
      expect(Date.now() - started).toBeLessThan(4_500);
      expect(statusCode).toBe(503);
      expect(body).toMatchObject({ status: 'error', worker_id: 'hanging-worker', database: 'unreachable' });
      expect(body.message).toMatch(/no answer within/);
    });
  });
});
