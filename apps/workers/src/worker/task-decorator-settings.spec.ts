import { Inject, Injectable, Module, type INestApplicationContext, type OnModuleInit, type Type } from '@nestjs/common';
import { addTask, type Pool } from '@taskforge/core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createRunLog, recordRun, runCounts } from '../../../../test/support/run-log.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { createWorkerApp } from '../create-worker-app.js';
import { PG_POOL } from '../common/tokens.js';
import { add, startWorkerApp, testWorkerConfig, waitFor, waitForTask } from '../../test/worker-test-app.js';
import type { TaskHandler } from './task-handler.interface.js';
import { Task } from './task.decorator.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerModule } from './worker.module.js';

/** Records each run in task_runs, so the test can tell how many overlapped. */
abstract class RecordingHandler implements TaskHandler<unknown> {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  protected abstract readonly name: string;

  execute(_payload: unknown, taskId: string): Promise<void> {
    return recordRun(this.pool, taskId, this.name, 150);
  }
}

@Task('capped-report', { concurrency: 2 })
@Injectable()
class CappedReportHandler extends RecordingHandler {
  protected readonly name = 'capped-report';
}

@Task('bulk-email')
@Injectable()
class BulkEmailHandler extends RecordingHandler {
  protected readonly name = 'bulk-email';
}

@Task('flaky-charge', { maxRetries: 1, timeoutMs: 60_000 })
@Injectable()
class FlakyChargeHandler implements TaskHandler<unknown> {
  async execute(): Promise<never> {
    throw new Error('card declined');
  }
}

/** The seed's way, with the new optional third argument. */
@Injectable()
class SeedStyleHandler implements TaskHandler, OnModuleInit {
  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register('seed-style', this, { maxRetries: 0, concurrency: 1 });
  }

  async execute(): Promise<never> {
    throw new Error('always');
  }
}

@Module({ imports: [WorkerModule], providers: [CappedReportHandler, BulkEmailHandler, FlakyChargeHandler, SeedStyleHandler] })
class SettingsModule {}

describe('@Task settings: concurrency and maxRetries in a worker app', () => {
  let db: TestDatabase;
  let app: INestApplicationContext;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await createTestDatabase();
    await createRunLog(db.pool);
    // Everything is submitted before the worker starts: the handlers' settings still apply.
    await db.pool.query(
      `insert into tasks (task_name, max_retries, priority) select 'capped-report', 0, 1 from generate_series(1, 20);
       insert into tasks (task_name, max_retries) select 'bulk-email', 0 from generate_series(1, 20)`,
    );
    // What the API stores for a task submitted without max_retries: DEFAULT_MAX_RETRIES (3), as a stand-in.
    const withoutMaxRetries = { max_retries: 3, max_retries_source: 'default' } as const;
    ids.defaulted = (await addTask(db.pool, { task_name: 'flaky-charge', ...withoutMaxRetries })).id;
    ids.explicitZero = (await add(db.pool, { task_name: 'flaky-charge', max_retries: 0 })).id;
    ids.seedStyle = (await addTask(db.pool, { task_name: 'seed-style', ...withoutMaxRetries })).id;
    app = await startWorkerApp(db.url, { imports: [SettingsModule], env: { WORKER_MAX_CONCURRENT_TASKS: '10' } });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  it('registers the settings of decorated and self-registering handlers alike', () => {
    const registry = app.get(TaskRegistryService);
    expect(registry.concurrencyFor('capped-report')).toBe(2);
    expect(registry.concurrencyFor('bulk-email')).toBeUndefined();
    expect(registry.maxRetriesFor('flaky-charge')).toBe(1);
    expect(registry.timeoutMsFor('flaky-charge')).toBe(60_000);
    expect(registry.maxRetriesFor('seed-style')).toBe(0);
    expect(registry.concurrencyFor('seed-style')).toBe(1);
  });

  it('runs at most 2 capped tasks at once on a worker of 10 slots, while the other type uses more, each task once', async () => {
    await waitFor(
      'all 40 recording tasks completed',
      async () => {
        const { rows } = await db.pool.query(
          `select count(*)::int as n from tasks where status = 'completed' and task_name in ('capped-report', 'bulk-email')`,
        );
        return rows[0].n === 40;
      },
      { timeoutMs: 60_000 },
    );
    const counts = await runCounts(db.pool);
    expect(counts.get('capped-report')).toMatchObject({ runs: 20, tasks: 20 });
    expect(counts.get('bulk-email')).toMatchObject({ runs: 20, tasks: 20 });
    expect(counts.get('capped-report')!.max_overlap).toBeLessThanOrEqual(2);
    expect(counts.get('bulk-email')!.max_overlap).toBeGreaterThan(2);
  });

  it("fails a task submitted without max_retries for good after 1 + the handler's maxRetries attempts", async () => {
    const failed = await waitForTask(db.pool, ids.defaulted!, 'failed');
    expect(failed).toMatchObject({ attempts: 2, max_retries: 1, max_retries_source: 'handler', last_error: 'card declined' });
  });

  it('lets an explicit max_retries 0 win: failed for good after 1 attempt', async () => {
    const failed = await waitForTask(db.pool, ids.explicitZero!, 'failed');
    expect(failed).toMatchObject({ attempts: 1, max_retries: 0, max_retries_source: 'explicit' });
  });

  it('applies maxRetries given to register() by a self-registering handler', async () => {
    const failed = await waitForTask(db.pool, ids.seedStyle!, 'failed');
    expect(failed).toMatchObject({ attempts: 1, max_retries: 0, max_retries_source: 'handler' });
  });
});

@Injectable()
class BadSettingsSeedHandler implements TaskHandler, OnModuleInit {
  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register('bad-settings', this, { concurrency: 0 });
  }

  async execute(): Promise<void> {}
}

@Module({ imports: [WorkerModule], providers: [BadSettingsSeedHandler] })
class BadSettingsModule {}

describe('@Task and register() settings are checked at start-up', () => {
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

  it('fails start-up on an invalid register() option, naming the handler and the task, and claims nothing', async () => {
    const task = await add(db.pool, { task_name: 'noop' });
    await expect(start(BadSettingsModule)).rejects.toThrow(
      'BadSettingsSeedHandler, registering task "bad-settings": concurrency must be a positive integer (most tasks of this type running at once in one worker), got 0',
    );
    expect(await waitForTask(db.pool, task.id, 'pending')).toMatchObject({ attempts: 0 });
  });

  it.each([
    [{ concurrency: 0 }, 'concurrency must be a positive integer (most tasks of this type running at once in one worker), got 0'],
    [{ concurrency: 1.5 }, 'concurrency must be a positive integer (most tasks of this type running at once in one worker), got 1.5'],
    [{ maxRetries: -1 }, 'maxRetries must be an integer from 0 to 1000, got -1'],
    [{ maxRetries: 1_001 }, 'maxRetries must be an integer from 0 to 1000, got 1001'],
  ])('rejects %j when the decorated class is declared, naming it', (options, message) => {
    expect(() => {
      @Task('bad', options)
      class BadOptionsHandler implements TaskHandler {
        async execute() {}
      }
      return BadOptionsHandler;
    }).toThrow(`@Task('bad') on BadOptionsHandler: ${message}`);
  });

  it('rejects an unknown option, as a JavaScript caller or a cast could pass one', () => {
    const options = { maxRetry: 3 } as unknown as { maxRetries: number };
    expect(() => {
      @Task('typo', options)
      class TypoHandler implements TaskHandler {
        async execute() {}
      }
      return TypoHandler;
    }).toThrow(`@Task('typo') on TypoHandler: unknown option "maxRetry" (known: timeoutMs, concurrency, maxRetries)`);
  });
});
