import { Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { getTask, type TaskContext } from '@taskforge/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { createWorkerApp } from '../create-worker-app.js';
import { add, testWorkerConfig } from '../../test/worker-test-app.js';
import { NoopTaskHandler } from './handlers/noop.handler.js';
import type { TaskHandler } from './task-handler.interface.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerModule } from './worker.module.js';

class FirstHandler implements TaskHandler {
  async execute(payload: unknown) {
    return { first: payload };
  }
}

class SecondHandler implements TaskHandler {
  async execute() {
    return 'second';
  }
}

function context(): TaskContext {
  return { taskName: 'x', attempt: 1, maxRetries: 0, signal: new AbortController().signal };
}

describe('TaskRegistryService', () => {
  it('looks up registered handlers by name, and lists the names', async () => {
    const registry = new TaskRegistryService();
    const first = new FirstHandler();
    registry.register('first', first);
    registry.register('second', new SecondHandler());
    expect(registry.names()).toEqual(['first', 'second']);
    expect(registry.get('missing')).toBeUndefined();
    const run = registry.get('first');
    expect(run).toBeTypeOf('function');
    await expect(run!({ a: 1 }, 'id-1', context())).resolves.toEqual({ first: { a: 1 } });
  });

  it('passes payload, task id and context through to the handler unchanged', async () => {
    const registry = new TaskRegistryService();
    const calls: unknown[][] = [];
    registry.register('spy', {
      async execute(...args: unknown[]) {
        calls.push(args);
      },
    } as TaskHandler);
    const ctx = context();
    await registry.get('spy')!({ p: true }, 'task-id', ctx);
    expect(calls).toEqual([[{ p: true }, 'task-id', ctx]]);
    expect(calls[0]![2]).toBe(ctx);
  });

  it('throws when a name is registered twice, naming both handler classes', () => {
    const registry = new TaskRegistryService();
    registry.register('shared-name', new FirstHandler());
    expect(() => registry.register('shared-name', new SecondHandler())).toThrow(
      'task name "shared-name" is registered twice: by FirstHandler and by SecondHandler',
    );
    // The first registration stays in place.
    expect(registry.names()).toEqual(['shared-name']);
  });

  it('treats names case-sensitively: "Noop" and "noop" are different tasks', () => {
    const registry = new TaskRegistryService();
    registry.register('noop', new FirstHandler());
    expect(() => registry.register('Noop', new SecondHandler())).not.toThrow();
    expect(registry.names()).toEqual(['noop', 'Noop']);
  });

  it.each([
    ['an empty string', ''],
    ['only whitespace', '   '],
    ['longer than 255 characters', 'x'.repeat(256)],
    ['not a string', 42],
    ['undefined', undefined],
  ])('rejects an invalid task name: %s', (_label, name) => {
    const registry = new TaskRegistryService();
    expect(() => registry.register(name as string, new FirstHandler())).toThrow(/FirstHandler has an invalid task name/);
    expect(registry.names()).toEqual([]);
  });

  it('keeps the optional settings of register(name, handler, options) per name; without them, none', () => {
    const registry = new TaskRegistryService();
    registry.register('plain', new FirstHandler());
    registry.register('tuned', new SecondHandler(), { timeoutMs: 5_000, concurrency: 3, maxRetries: 0 });
    expect([registry.timeoutMsFor('plain'), registry.concurrencyFor('plain'), registry.maxRetriesFor('plain')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect([registry.timeoutMsFor('tuned'), registry.concurrencyFor('tuned'), registry.maxRetriesFor('tuned')]).toEqual([5_000, 3, 0]);
  });

  it('rejects invalid settings, naming the handler, the task and every problem, and registers nothing', () => {
    const registry = new TaskRegistryService();
    expect(() => registry.register('tuned', new FirstHandler(), { concurrency: -1, maxRetries: 2.5 })).toThrow(
      'FirstHandler, registering task "tuned": concurrency must be a positive integer (most tasks of this type running at once in one worker), got -1; maxRetries must be an integer from 0 to 1000, got 2.5',
    );
    expect(registry.names()).toEqual([]);
  });

  it('accepts a name of exactly 255 characters', () => {
    const registry = new TaskRegistryService();
    registry.register('y'.repeat(255), new FirstHandler());
    expect(registry.names()).toEqual(['y'.repeat(255)]);
  });
});

@Injectable()
class DuplicateOneHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'twice-taken';

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(DuplicateOneHandler.TASK_NAME, this);
  }

  async execute(): Promise<void> {}
}

@Injectable()
class DuplicateTwoHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'twice-taken';

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(DuplicateTwoHandler.TASK_NAME, this);
  }

  async execute(): Promise<void> {}
}

@Module({ imports: [WorkerModule], providers: [DuplicateOneHandler, DuplicateTwoHandler] })
class DuplicateHandlersModule {}

/** Takes the name of a built-in handler. */
@Injectable()
class SecondNoopHandler implements TaskHandler, OnModuleInit {
  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(NoopTaskHandler.TASK_NAME, this);
  }

  async execute(): Promise<void> {}
}

@Module({ imports: [WorkerModule], providers: [SecondNoopHandler] })
class BuiltInNameTakenModule {}

describe('a worker app whose handlers share a task name', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  it('fails to start, naming both handler classes', async () => {
    const config = testWorkerConfig(db.url);
    let app: Awaited<ReturnType<typeof createWorkerApp>> | undefined;
    await expect(
      createWorkerApp(config, { imports: [DuplicateHandlersModule] }).then((created) => {
        app = created;
        return created.init();
      }),
    ).rejects.toThrow('task name "twice-taken" is registered twice: by DuplicateOneHandler and by DuplicateTwoHandler');
    await app?.close();
  });

  it('fails to start when a handler takes a built-in name', async () => {
    let app: Awaited<ReturnType<typeof createWorkerApp>> | undefined;
    await expect(
      createWorkerApp(testWorkerConfig(db.url), { imports: [BuiltInNameTakenModule] }).then((created) => {
        app = created;
        return created.init();
      }),
    ).rejects.toThrow('task name "noop" is registered twice: by NoopTaskHandler and by SecondNoopHandler');
    await app?.close();
  });

  it('claims nothing when start-up fails', async () => {
    const task = await add(db.pool, { task_name: 'noop' });
    let app: Awaited<ReturnType<typeof createWorkerApp>> | undefined;
    await expect(
      createWorkerApp(testWorkerConfig(db.url), { imports: [DuplicateHandlersModule] }).then((created) => {
        app = created;
        return created.init();
      }),
    ).rejects.toThrow(/registered twice/);
    await app?.close();
    const after = await getTask(db.pool, task.id);
    expect(after.status).toBe('pending');
    expect(after.attempts).toBe(0);
  });
});
