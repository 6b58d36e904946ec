import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { gate, handlers } from '../../../../test/support/task-functions.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { useWorkerHarness } from '../../../../test/support/worker-harness.js';
import { PermanentTaskError } from '../errors.js';
import { getTask } from '../tasks/get-task.js';
import type { TaskContext, TaskFunction } from './task-function.js';
import { Worker } from './worker.js';

const silent = pino({ level: 'silent' });

describe('Worker', () => {
  const { db, startWorker, add, statusOf, countWhere, waitUntilFailedForGood } = useWorkerHarness();

  it('runs tasks with registered handlers, passing payload, id and context, and marks them completed', async () => {
    const calls: Array<{ payload: unknown; taskId: string; context: TaskContext; aborted: boolean }> = [];
    const tasks = [
      await add('echo', { payload: { n: 1 }, maxRetries: 2 }),
      await add('echo', { payload: [1, 2, 3], maxRetries: 2 }),
      await add('echo', { payload: 'text', maxRetries: 2 }),
    ];
    const worker = startWorker({
      workerId: 'worker-echo',
      handlers: handlers({
        echo: async (payload, taskId, context) => {
          calls.push({ payload, taskId, context, aborted: context.signal.aborted });
        },
      }),
    });

    await waitFor('all echo tasks completed', async () => (await countWhere(`status = 'completed'`)) === 3);

    expect(calls).toHaveLength(3);
    for (const task of tasks) {
      const call = calls.find((c) => c.taskId === task.id)!;
      expect(call.payload).toEqual(task.payload);
      expect(call.context).toMatchObject({ taskName: 'echo', attempt: 1, maxRetries: 2 });
      expect(call.context.signal).toBeInstanceOf(AbortSignal);
      expect(call.aborted).toBe(false);
      const row = await getTask(db.pool, task.id);
      expect(row).toMatchObject({ status: 'completed', attempts: 1, locked_by: null, locked_at: null, last_error: null });
      expect(row.finished_at).toBeInstanceOf(Date);
    }
    await waitFor('counters updated', () => worker.counters.processed === 3);
    expect(worker.counters).toEqual({ processed: 3, completed: 3, failed: 0, leasesLost: 0, rescued: 0 });
  });

  /* eslint-disable @typescript-eslint/prefer-promise-reject-errors -- handlers that reject with
     non-Errors on purpose: the worker must turn each into a readable last_error. */
  it.each([
    ['throws a string', () => Promise.reject('plain string failure'), 'plain string failure'],
    ['throws undefined', () => Promise.reject(undefined), 'handler threw undefined'],
    ['throws null', () => Promise.reject(null), 'handler threw null'],
    [
      'throws a plain object',
      () => Promise.reject({ code: 'E42', detail: 'nope' }),
      'handler threw a non-Error value: {"code":"E42","detail":"nope"}',
    ],
    ['rejects with an Error', () => Promise.reject(new Error('async failure')), 'async failure'],
    [
      'throws synchronously',
      () => {
        throw new TypeError('sync failure');
      },
      'sync failure',
    ],
    ['throws an Error without a message', () => Promise.reject(new RangeError()), 'RangeError'],
  ] as Array<[string, TaskFunction, string]>)(
    /* eslint-enable @typescript-eslint/prefer-promise-reject-errors */
    'records a failed attempt when the handler %s, and keeps running',
    async (_label, failing, expectedError) => {
      const bad = await add('bad');
      const worker = startWorker({ handlers: handlers({ bad: failing, good: async () => undefined }) });

      const failed = await waitUntilFailedForGood(bad.id);
      expect(failed).toMatchObject({ status: 'failed', attempts: 1, last_error: expectedError, locked_by: null });
      expect(failed.finished_at).toBeInstanceOf(Date);

      // Still alive: a task added afterwards is run.
      const good = await add('good');
      await waitFor('the next task completed', async () => (await statusOf(good.id)) === 'completed');
      expect(worker.counters.failed).toBe(1);
    },
  );

  it('retries a task with max_retries 2 whose handler always throws, and gives up after exactly 3 attempts', async () => {
    const attempts: Array<{ attempt: number; maxRetries: number }> = [];
    const task = await add('flaky', { maxRetries: 2 });
    const worker = startWorker({
      handlers: handlers({
        flaky: async (_payload, _id, context) => {
          attempts.push({ attempt: context.attempt, maxRetries: context.maxRetries });
          throw new Error(`failure number ${context.attempt}`);
        },
      }),
    });

    const failed = await waitUntilFailedForGood(task.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3, last_error: 'failure number 3', next_retry_at: null });
    expect(failed.finished_at).toBeInstanceOf(Date);

    // Give the worker many more polls: there must be no fourth attempt.
    await sleep(300);
    expect(attempts).toEqual([
      { attempt: 1, maxRetries: 2 },
      { attempt: 2, maxRetries: 2 },
      { attempt: 3, maxRetries: 2 },
    ]);
    expect((await getTask(db.pool, task.id)).attempts).toBe(3);
    expect(worker.counters).toMatchObject({ processed: 3, failed: 3, completed: 0 });
  });

  it('succeeds on a retry after failed attempts', async () => {
    const task = await add('second-time-lucky', { maxRetries: 3 });
    startWorker({
      handlers: handlers({
        'second-time-lucky': async (_payload, _id, context) => {
          if (context.attempt < 2) throw new Error('not yet');
        },
      }),
    });
    await waitFor('task completed', async () => (await statusOf(task.id)) === 'completed');
    expect(await getTask(db.pool, task.id)).toMatchObject({ attempts: 2, last_error: null, next_retry_at: null });
  });

  it('fails a task for good at once when its handler throws PermanentTaskError, despite retries left', async () => {
    const task = await add('reject', { maxRetries: 5 });
    let calls = 0;
    startWorker({
      handlers: handlers({
        reject: async () => {
          calls += 1;
          throw new PermanentTaskError('payload is malformed');
        },
      }),
    });
    const failed = await waitUntilFailedForGood(task.id);
    expect(failed).toMatchObject({ attempts: 1, last_error: 'payload is malformed' });
    await sleep(200);
    expect(calls).toBe(1);
  });

  it('never runs more handlers at once than its concurrency (50 tasks, concurrency 4)', async () => {
    await db.pool.query(
      `insert into tasks (task_name, payload, max_retries) select 'count', jsonb_build_object('i', g), 0 from generate_series(1, 50) g`,
    );
    let active = 0;
    let maxActive = 0;
    const runs = new Map<string, number>();
    const worker = startWorker({
      concurrency: 4,
      handlers: handlers({
        count: async (_payload, taskId) => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          runs.set(taskId, (runs.get(taskId) ?? 0) + 1);
          try {
            await sleep(2 + Math.floor(Math.random() * 8));
          } finally {
            active -= 1;
          }
        },
      }),
    });

    await waitFor('all 50 tasks completed', async () => (await countWhere(`status = 'completed'`)) === 50);
    expect(maxActive).toBeLessThanOrEqual(4);
    // With a backlog it fills every slot.
    expect(maxActive).toBe(4);
    expect(runs.size).toBe(50);
    expect([...runs.values()].every((n) => n === 1)).toBe(true);
    expect(worker.runningCount).toBeLessThanOrEqual(4);
  });

  it('does not let two workers on the same database run a task twice', async () => {
    await db.pool.query(`insert into tasks (task_name, max_retries) select 'shared', 0 from generate_series(1, 100) g`);
    const runs: string[] = [];
    const handler: TaskFunction = async (_payload, taskId) => {
      runs.push(taskId);
      await sleep(1);
    };
    startWorker({ workerId: 'worker-a', concurrency: 5, handlers: handlers({ shared: handler }) });
    startWorker({ workerId: 'worker-b', concurrency: 5, handlers: handlers({ shared: handler }) });

    await waitFor('all 100 tasks completed', async () => (await countWhere(`status = 'completed'`)) === 100);
    expect(runs).toHaveLength(100);
    expect(new Set(runs).size).toBe(100);
    expect(await countWhere('attempts <> 1')).toBe(0);
  });

  it('leaves tasks it has no handler for pending', async () => {
    const unknown = await add('nobody-handles-this', { maxRetries: 3 });
    const known = await add('known');
    startWorker({ handlers: handlers({ known: async () => undefined }) });

    await waitFor('known task completed', async () => (await statusOf(known.id)) === 'completed');
    await sleep(200); // ten more polls
    expect(await getTask(db.pool, unknown.id)).toMatchObject({ status: 'pending', attempts: 0, locked_by: null });
  });

  it('records a failure when a listed name has no function behind it', async () => {
    const task = await add('ghost');
    startWorker({ handlers: { names: () => ['ghost'], get: () => undefined } });
    const failed = await waitUntilFailedForGood(task.id);
    expect(failed.last_error).toBe('no handler registered for task_name "ghost"');
  });

  it('does not overwrite a task it no longer owns when its handler finishes', async () => {
    const task = await add('slow');
    const release = gate();
    let handlerStarted = false;
    const worker = startWorker({
      handlers: handlers({
        slow: async () => {
          handlerStarted = true;
          await release.opened;
        },
      }),
    });
    await waitFor('handler started', () => handlerStarted);
    // Someone else took the task over (as a lease-recovery process would).
    await db.pool.query(`update tasks set locked_by = 'other-worker', attempts = attempts + 1 where id = $1`, [task.id]);
    release.open();
    // runningCount drops only after the outcome was written (or refused).
    await waitFor('outcome recorded', () => worker.counters.processed === 1 && worker.runningCount === 0);
    expect(await getTask(db.pool, task.id)).toMatchObject({ status: 'running', locked_by: 'other-worker', attempts: 2 });
  });

  it('stop() waits for a running task to finish, and claims nothing more', async () => {
    const first = await add('hold');
    const release = gate();
    let handlerStarted = false;
    let handlerFinished = false;
    const worker = startWorker({
      concurrency: 1,
      handlers: handlers({
        hold: async () => {
          handlerStarted = true;
          await release.opened;
          handlerFinished = true;
        },
      }),
    });
    await waitFor('handler started', () => handlerStarted);

    let stopped = false;
    const stopping = worker.stop().then(() => {
      stopped = true;
    });
    const second = await add('hold');
    await sleep(200);
    expect(stopped).toBe(false);
    expect(worker.runningCount).toBe(1);

    release.open();
    await stopping;
    expect(handlerFinished).toBe(true);
    expect(worker.runningCount).toBe(0);
    expect(await statusOf(first.id)).toBe('completed');
    expect(await getTask(db.pool, second.id)).toMatchObject({ status: 'pending', attempts: 0 });
  });

  it('stop(timeoutMs) aborts a long handler through its AbortSignal and releases the task with its attempt given back', async () => {
    const task = await add('endless', { maxRetries: 3 });
    let handlerStarted = false;
    let abortReason: unknown;
    const worker = startWorker({
      handlers: handlers({
        endless: (_payload, _id, { signal }) => {
          handlerStarted = true;
          return new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              abortReason = signal.reason;
              reject(signal.reason);
            });
          });
        },
      }),
    });
    await waitFor('handler started', () => handlerStarted);

    await worker.stop(50);

    expect(abortReason).toBeInstanceOf(Error);
    expect((abortReason as Error).message).toBe('worker shutting down');
    expect(worker.runningCount).toBe(0);
    const row = await getTask(db.pool, task.id);
    // Cut short by the shutdown, not by the task: due again at once, the attempt not used up.
    expect(row).toMatchObject({ status: 'pending', attempts: 0, last_error: null, locked_by: null, lease_expires_at: null });
    expect(row.scheduled_at.getTime()).toBeLessThanOrEqual(Date.now() + 5_000);
  });

  it('stop() resolves promptly when nothing is running, and stop() before start() is harmless', async () => {
    const idle = new Worker({
      pool: db.pool,
      workerId: 'never-started',
      concurrency: 1,
      pollIntervalMs: 20,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      logger: silent,
      handlers: handlers({}),
    });
    await idle.stop(10);

    const worker = startWorker({ handlers: handlers({ job: async () => undefined }) });
    await sleep(50);
    const before = Date.now();
    await worker.stop();
    expect(Date.now() - before).toBeLessThan(5_000);
  });

  it('does not start a second claim loop when start() is called twice', async () => {
    await db.pool.query(`insert into tasks (task_name, max_retries) select 'pair', 0 from generate_series(1, 20) g`);
    let active = 0;
    let maxActive = 0;
    const worker = startWorker({
      concurrency: 2,
      handlers: handlers({
        pair: async () => {
          active += 1;
          maxActive = Math.max(maxActive, active);
          await sleep(5);
          active -= 1;
        },
      }),
    });
    worker.start();
    await waitFor('all 20 completed', async () => (await countWhere(`status = 'completed'`)) === 20);
    expect(maxActive).toBeLessThanOrEqual(2);
  });

  // A wake that arrives while the loop is busy claiming must not be lost (WakeSignal remembers it).
  it('stop() returns promptly even when it arrives while a claim query is in flight', async () => {
    await add('blocked');
    const pollIntervalMs = 1_500;
    const blocker = await db.pool.connect();
    try {
      // Hold a lock that makes the worker's claim statement wait, so stop() lands mid-claim.
      await blocker.query('begin');
      await blocker.query('lock table tasks in access exclusive mode');
      const worker = startWorker({ pollIntervalMs, handlers: handlers({ blocked: async () => undefined }) });
      await waitFor('claim query waiting on the lock', async () => {
        const { rows } = await db.pool.query(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%taskforge_claim_tasks(%'`,
        );
        return rows[0].n === 1;
      });
      const stopping = worker.stop();
      await blocker.query('commit');
      const before = Date.now();
      await stopping;
      expect(Date.now() - before).toBeLessThan(pollIntervalMs / 2);
    } finally {
      await blocker.query('rollback').catch(() => undefined);
      blocker.release();
    }
  });
});
