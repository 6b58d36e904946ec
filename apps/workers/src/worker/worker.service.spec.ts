import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { getTask, PermanentTaskError } from '@taskforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { add, startWorkerApp, waitFor, waitForTask } from '../../test/worker-test-app.js';
import type { TaskContext, TaskHandler } from './task-handler.interface.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerModule } from './worker.module.js';
import { WorkerService } from './worker.service.js';

/** Throws whatever its payload names: every kind of value a handler might throw or reject with. */
@Injectable()
class ThrowAnythingHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'throw-anything';

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(ThrowAnythingHandler.TASK_NAME, this);
  }

  /* eslint-disable @typescript-eslint/only-throw-error, @typescript-eslint/prefer-promise-reject-errors --
     this handler throws every kind of non-Error on purpose: the worker must record each one. */
  // Not async on purpose: the 'sync-*' kinds throw before any promise exists.
  execute(payload: { kind: string }): Promise<unknown> {
    switch (payload.kind) {
      case 'sync-string':
        throw 'thrown synchronously';
      case 'sync-error':
        throw new TypeError('sync type error');
      default:
        return this.rejectWith(payload.kind);
    }
  }

  private async rejectWith(kind: string): Promise<unknown> {
    await Promise.resolve();
    switch (kind) {
      case 'string':
        throw 'just a string';
      case 'undefined':
        throw undefined;
      case 'null':
        throw null;
      case 'object':
        throw { code: 'E_PLAIN', detail: { n: 1 } };
      case 'number':
        return Promise.reject(42);
      case 'empty-error':
        throw new RangeError('');
      case 'bigint':
        throw 10n;
      case 'circular': {
        const value: Record<string, unknown> = { name: 'circular' };
        value.self = value;
        throw value;
      }
      case 'nul-in-message':
        throw new Error('binary\u0000garbage');
      case 'permanent':
        throw new PermanentTaskError('no point retrying');
      default:
        throw new Error(`unknown kind ${kind}`);
    }
  }
  /* eslint-enable @typescript-eslint/only-throw-error, @typescript-eslint/prefer-promise-reject-errors */
}

interface Call {
  payload: unknown;
  taskId: string;
  context: TaskContext;
  signalWasAborted: boolean;
}

/** Records its arguments; fails the first attempt when the payload asks for it. */
@Injectable()
class RecordingHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'recording';
  static readonly calls: Call[] = [];

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(RecordingHandler.TASK_NAME, this);
  }

  async execute(payload: { failFirst?: boolean } | null, taskId: string, context: TaskContext): Promise<unknown> {
    RecordingHandler.calls.push({ payload, taskId, context, signalWasAborted: context.signal.aborted });
    if (payload?.failFirst && context.attempt === 1) throw new Error('first attempt fails');
    return { ok: true };
  }
}

/** Sleeps like `sleep`, counting how many of its tasks run at the same time. */
@Injectable()
class TrackedSleepHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'tracked-sleep';
  static current = 0;
  static max = 0;

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(TrackedSleepHandler.TASK_NAME, this);
  }

  async execute(payload: { ms: number }, _taskId: string, context: TaskContext): Promise<void> {
    TrackedSleepHandler.current += 1;
    TrackedSleepHandler.max = Math.max(TrackedSleepHandler.max, TrackedSleepHandler.current);
    try {
      await sleep(payload.ms, undefined, { signal: context.signal });
    } finally {
      TrackedSleepHandler.current -= 1;
    }
  }
}

@Module({
  imports: [WorkerModule],
  providers: [ThrowAnythingHandler, RecordingHandler, TrackedSleepHandler],
})
class TestHandlersModule {}

describe('WorkerService', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  describe('with one worker running', () => {
    let app: INestApplicationContext;

    beforeAll(async () => {
      app = await startWorkerApp(db.url, { imports: [TestHandlersModule], env: { WORKER_ID: 'worker-service-spec' } });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('claims only the task names it has handlers for', async () => {
      const orphan = await add(db.pool, { task_name: 'nobody-serves-this', priority: 100 });
      const noops = await Promise.all(Array.from({ length: 5 }, () => add(db.pool, { task_name: 'noop' })));
      for (const noop of noops) await waitForTask(db.pool, noop.id, 'completed');
      const after = await getTask(db.pool, orphan.id);
      expect(after.status).toBe('pending');
      expect(after.attempts).toBe(0);
      expect(after.locked_by).toBeNull();
      expect(after.last_error).toBeNull();
    });

    it.each([
      ['string', 'just a string'],
      ['undefined', 'handler threw undefined'],
      ['null', 'handler threw null'],
      ['object', 'handler threw a non-Error value: {"code":"E_PLAIN","detail":{"n":1}}'],
      ['number', 'handler threw a non-Error value: 42'],
      ['empty-error', 'RangeError'],
      ['bigint', 'handler threw a non-Error value: 10'],
      ['circular', 'handler threw a non-Error value: [object Object]'],
      ['sync-string', 'thrown synchronously'],
      ['sync-error', 'sync type error'],
    ])('records a handler throwing %s as last_error and keeps working', async (kind, expectedError) => {
      const task = await add(db.pool, { task_name: ThrowAnythingHandler.TASK_NAME, payload: { kind }, max_retries: 1 });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.last_error).toBe(expectedError);
      // An ordinary failure is retried while retries remain.
      expect(failed.attempts).toBe(2);
      expect(failed.locked_by).toBeNull();
      // The worker is still alive and takes the next task.
      const next = await add(db.pool, { task_name: 'noop' });
      await waitForTask(db.pool, next.id, 'completed');
    });

    it('keeps processing when many tasks fail in odd ways at once', async () => {
      const kinds = ['string', 'undefined', 'null', 'object', 'number', 'sync-string', 'circular'];
      const failing = await Promise.all(
        kinds.map((kind) => add(db.pool, { task_name: ThrowAnythingHandler.TASK_NAME, payload: { kind } })),
      );
      const noops = await Promise.all(Array.from({ length: 10 }, () => add(db.pool, { task_name: 'noop' })));
      for (const task of failing) await waitForTask(db.pool, task.id, 'failed');
      for (const task of noops) await waitForTask(db.pool, task.id, 'completed');
    });

    // PostgreSQL text cannot hold NUL: failTask must store something else, not fail to record the failure
    // (which would leave the task running, locked, for good).
    it('records an error message that contains a NUL character', async () => {
      const task = await add(db.pool, { task_name: ThrowAnythingHandler.TASK_NAME, payload: { kind: 'nul-in-message' } });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.last_error).toMatch(/^binary.+garbage$/);
      expect(failed.last_error).not.toContain('\u0000');
      expect(failed.locked_by).toBeNull();
    });

    it('fails a PermanentTaskError for good, retries left or not', async () => {
      const task = await add(db.pool, {
        task_name: ThrowAnythingHandler.TASK_NAME,
        payload: { kind: 'permanent' },
        max_retries: 5,
      });
      const failed = await waitForTask(db.pool, task.id, 'failed');
      expect(failed.attempts).toBe(1);
      expect(failed.next_retry_at).toBeNull();
      expect(failed.last_error).toBe('no point retrying');
    });

    it('passes the handler (payload, taskId, context) with the attempt number and an AbortSignal', async () => {
      RecordingHandler.calls.length = 0;
      const task = await add(db.pool, {
        task_name: RecordingHandler.TASK_NAME,
        payload: { failFirst: true, nested: { list: [1, 'two'] } },
        max_retries: 3,
      });
      const done = await waitForTask(db.pool, task.id, 'completed');
      expect(done.attempts).toBe(2);
      expect(RecordingHandler.calls).toHaveLength(2);
      RecordingHandler.calls.forEach((call, index) => {
        expect(call.payload).toEqual({ failFirst: true, nested: { list: [1, 'two'] } });
        expect(call.taskId).toBe(task.id);
        expect(call.context.attempt).toBe(index + 1);
        expect(call.context.taskName).toBe(RecordingHandler.TASK_NAME);
        expect(call.context.maxRetries).toBe(3);
        expect(call.context.signal).toBeInstanceOf(AbortSignal);
        expect(call.signalWasAborted).toBe(false);
      });
      // Each attempt gets a signal of its own.
      expect(RecordingHandler.calls[0]!.context.signal).not.toBe(RecordingHandler.calls[1]!.context.signal);
    });

    it('passes a task without payload as null', async () => {
      RecordingHandler.calls.length = 0;
      const task = await add(db.pool, { task_name: RecordingHandler.TASK_NAME });
      await waitForTask(db.pool, task.id, 'completed');
      expect(RecordingHandler.calls).toHaveLength(1);
      expect(RecordingHandler.calls[0]!.payload).toBeNull();
    });
  });

  describe('concurrency', () => {
    it('runs at most WORKER_MAX_CONCURRENT_TASKS tasks at a time', async () => {
      TrackedSleepHandler.current = 0;
      TrackedSleepHandler.max = 0;
      // All due before the worker starts, so its first claim can fill every slot.
      const tasks = await Promise.all(
        Array.from({ length: 20 }, () => add(db.pool, { task_name: TrackedSleepHandler.TASK_NAME, payload: { ms: 30 } })),
      );
      const worker = await startWorkerApp(db.url, {
        imports: [TestHandlersModule],
        env: { WORKER_MAX_CONCURRENT_TASKS: '3', WORKER_ID: 'limited-worker' },
      });
      try {
        for (const task of tasks) {
          const done = await waitForTask(db.pool, task.id, 'completed');
          expect(done.attempts).toBe(1);
        }
        // The first claim fills all three slots at once, so the limit is reached, and never passed.
        expect(TrackedSleepHandler.max).toBe(3);
        expect(TrackedSleepHandler.current).toBe(0);
        expect(worker.get(WorkerService).counters).toEqual({ processed: 20, completed: 20, failed: 0, leasesLost: 0, rescued: 0 });
      } finally {
        await worker.close();
      }
    });
  });

  describe('shutdown', () => {
    it('close() waits for a running sleep task, which completes', async () => {
      const worker = await startWorkerApp(db.url, { env: { WORKER_ID: 'closing-worker' } });
      const task = await add(db.pool, { task_name: 'sleep', payload: { ms: 300 } });
      try {
        await waitFor('the sleep task to be running', async () => (await getTask(db.pool, task.id)).status === 'running');
      } finally {
        await worker.close();
      }
      const after = await getTask(db.pool, task.id);
      expect(after.status).toBe('completed');
      expect(after.attempts).toBe(1);
      expect(after.finished_at!.getTime() - after.started_at!.getTime()).toBeGreaterThanOrEqual(250);
    });

    it('claims nothing once closed', async () => {
      const worker = await startWorkerApp(db.url, { env: { WORKER_ID: 'stopped-worker' } });
      await worker.close();
      const task = await add(db.pool, { task_name: 'noop' });
      // A fresh worker takes the task: it was claimable all along, the closed one just did not.
      const fresh = await startWorkerApp(db.url, { env: { WORKER_ID: 'fresh-worker' } });
      try {
        const done = await waitForTask(db.pool, task.id, 'completed');
        expect(done.attempts).toBe(1);
        const { rows } = await db.pool.query(`select count(*)::int as n from tasks where locked_by = 'stopped-worker'`);
        expect(rows[0].n).toBe(0);
      } finally {
        await fresh.close();
      }
    });

    it('past WORKER_SHUTDOWN_TIMEOUT_MS, close() aborts the running task and gives it back, due at once, attempt unused', async () => {
      const worker = await startWorkerApp(db.url, {
        env: { WORKER_ID: 'impatient-worker', WORKER_SHUTDOWN_TIMEOUT_MS: '50' },
      });
      const task = await add(db.pool, { task_name: 'sleep', payload: { ms: 600_000 }, max_retries: 1 });
      try {
        await waitFor('the long sleep task to be running', async () => (await getTask(db.pool, task.id)).status === 'running');
      } finally {
        const started = Date.now();
        await worker.close();
        expect(Date.now() - started).toBeLessThan(5_000);
      }
      const after = await getTask(db.pool, task.id);
      expect(after.status).toBe('pending');
      expect(after.attempts).toBe(0);
      expect(after.locked_by).toBeNull();
      expect(after.next_retry_at).toBeNull();
      expect(after.scheduled_at.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
      await db.pool.query('delete from tasks where id = $1', [task.id]);
    });
  });
});
