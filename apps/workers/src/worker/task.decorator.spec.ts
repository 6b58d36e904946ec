import { Injectable, Module, type INestApplicationContext, type Type } from '@nestjs/common';
import { getTask, TaskTimeoutError, type TaskContext } from '@taskforge/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { createWorkerApp } from '../create-worker-app.js';
import { add, startWorkerApp, testWorkerConfig, waitFor, waitForTask } from '../../test/worker-test-app.js';
import type { TaskHandler } from './task-handler.interface.js';
import { Task } from './task.decorator.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerModule } from './worker.module.js';

interface GreetingPayload {
  name: string;
  times: number;
}

/** Depends on another provider, as a real handler would: discovery hands over Nest's instance. */
@Injectable()
class Greeter {
  greet(name: string): string {
    return `hello ${name}`;
  }
}

@Task('greet')
@Injectable()
class GreetHandler implements TaskHandler<GreetingPayload> {
  constructor(private readonly greeter: Greeter) {}

  async execute(payload: GreetingPayload, taskId: string, context: TaskContext) {
    return { text: this.greeter.greet(payload.name).repeat(payload.times), taskId, attempt: context.attempt };
  }
}

/** Why the last attempt's signal aborted: the timeout tests read it. */
const abortReasons: unknown[] = [];

@Task('wait-for-abort', { timeoutMs: 150 })
@Injectable()
class WaitForAbortHandler implements TaskHandler<unknown> {
  async execute(_payload: unknown, _taskId: string, { signal }: TaskContext): Promise<never> {
    return new Promise((_resolve, reject) => {
      signal.addEventListener('abort', () => {
        abortReasons.push(signal.reason);
        reject(signal.reason as Error);
      });
    });
  }
}

@Module({ imports: [WorkerModule], providers: [Greeter, GreetHandler, WaitForAbortHandler] })
class DecoratedHandlersModule {}

describe('@Task', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startWorkerApp(db.url, { imports: [DecoratedHandlersModule] });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('registers a decorated provider through discovery, next to the seed-style built-ins', () => {
    const names = app.get(TaskRegistryService).names();
    expect(names).toContain('greet');
    expect(names).toContain('wait-for-abort');
    // The built-ins still register themselves in onModuleInit.
    expect(names).toEqual(expect.arrayContaining(['noop', 'sleep', 'fail', 'http']));
  });

  it('runs a decorated handler with its injected dependencies, and records its result', async () => {
    const task = await add(db.pool, { task_name: 'greet', payload: { name: 'Ada', times: 2 } });
    const done = await waitForTask(db.pool, task.id, 'completed');
    expect(done.attempts).toBe(1);
    expect(done.result).toEqual({ text: 'hello Adahello Ada', taskId: task.id, attempt: 1 });
  });

  it('runs seed-style handlers in the same app', async () => {
    const task = await add(db.pool, { task_name: 'noop' });
    const done = await waitForTask(db.pool, task.id, 'completed');
    expect(done.last_error).toBeNull();
  });

  it('timeoutMs limits an attempt of a task without timeout_ms: the signal aborts with TaskTimeoutError', async () => {
    abortReasons.length = 0;
    const task = await add(db.pool, { task_name: 'wait-for-abort' });
    expect(task.timeout_ms).toBeNull();
    const failed = await waitForTask(db.pool, task.id, 'failed');
    expect(failed.attempts).toBe(1);
    expect(failed.last_error).toBe('timed out after 150 ms');
    await waitFor('the handler to see its signal abort', async () => abortReasons.length === 1);
    expect(abortReasons[0]).toBeInstanceOf(TaskTimeoutError);
    expect(abortReasons[0]).toMatchObject({ timeoutMs: 150 });
  });

  it("a task's own timeout_ms wins over the handler's timeoutMs", async () => {
    abortReasons.length = 0;
    const task = await add(db.pool, { task_name: 'wait-for-abort', timeout_ms: 400 });
    const failed = await waitForTask(db.pool, task.id, 'failed');
    expect(failed.last_error).toBe('timed out after 400 ms');
    await waitFor('the handler to see its signal abort', async () => abortReasons.length === 1);
    expect(abortReasons[0]).toMatchObject({ name: 'TaskTimeoutError', timeoutMs: 400 });
  });

  it('a type without timeoutMs keeps the worker default (TASK_DEFAULT_TIMEOUT_MS)', async () => {
    const registry = app.get(TaskRegistryService);
    expect(registry.timeoutMsFor('greet')).toBeUndefined();
    expect(registry.timeoutMsFor('noop')).toBeUndefined();
    expect(registry.timeoutMsFor('wait-for-abort')).toBe(150);
  });

  it('checks the payload type at compile time', () => {
    const handler = new GreetHandler(new Greeter());
    const context: TaskContext = { taskName: 'greet', attempt: 1, maxRetries: 0, signal: new AbortController().signal };
    // @ts-expect-error: `times` must be a number, as GreetingPayload says.
    void handler.execute({ name: 'Ada', times: 'twice' }, 'id', context);
    expect(() => {
      // @ts-expect-error: the decorator accepts only a class with an `execute` method.
      @Task('not-a-handler')
      class NotAHandler {}
      return NotAHandler;
    }).not.toThrow();
  });

  it.each([0, -5, 1.5, Number.NaN])('rejects timeoutMs %s when the class is declared, naming it', (timeoutMs) => {
    expect(() => {
      @Task('bad-timeout', { timeoutMs })
      class BadTimeoutHandler implements TaskHandler {
        async execute() {}
      }
      return BadTimeoutHandler;
    }).toThrow(`@Task('bad-timeout') on BadTimeoutHandler: timeoutMs must be a positive integer of milliseconds, got ${timeoutMs}`);
  });
});

@Task('noop')
@Injectable()
class DecoratedNoopHandler implements TaskHandler {
  async execute() {}
}

@Task('twice-decorated')
@Injectable()
class FirstDecoratedHandler implements TaskHandler {
  async execute() {}
}

@Task('twice-decorated')
@Injectable()
class SecondDecoratedHandler implements TaskHandler {
  async execute() {}
}

@Module({ imports: [WorkerModule], providers: [DecoratedNoopHandler] })
class DecoratedTakesBuiltInNameModule {}

@Module({ imports: [WorkerModule], providers: [FirstDecoratedHandler, SecondDecoratedHandler] })
class TwiceDecoratedModule {}

describe('@Task names taken twice', () => {
  let db: TestDatabase;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  afterAll(async () => {
    await db?.drop();
  });

  function start(module: Type): Promise<void> {
    return createWorkerApp(testWorkerConfig(db.url), { imports: [module] }).then(async (created) => {
      app = created;
      await created.init();
    });
  }

  it('fails start-up when two decorated handlers take one name', async () => {
    await expect(start(TwiceDecoratedModule)).rejects.toThrow(
      'task name "twice-decorated" is registered twice: by FirstDecoratedHandler and by SecondDecoratedHandler',
    );
  });

  it('fails start-up when a decorated handler takes the name of a self-registering one, and claims nothing', async () => {
    const task = await add(db.pool, { task_name: 'noop' });
    await expect(start(DecoratedTakesBuiltInNameModule)).rejects.toThrow(
      'task name "noop" is registered twice: by NoopTaskHandler and by DecoratedNoopHandler',
    );
    const after = await getTask(db.pool, task.id);
    expect(after.status).toBe('pending');
    expect(after.attempts).toBe(0);
  });
});
