import { describe, expect, it } from 'vitest';
import { createRunLog, recordRun, runCounts } from '../../../../test/support/run-log.js';
import { handlers } from '../../../../test/support/task-functions.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { useWorkerHarness } from '../../../../test/support/worker-harness.js';
import { addTask } from '../tasks/add-task.js';
import { addTasks } from '../tasks/add-tasks.js';
import { getTask } from '../tasks/get-task.js';
import { runTaskNow } from '../tasks/run-task-now.js';
import type { TaskContext, TaskFunction } from './task-function.js';

interface Held {
  task: { task_name: string };
}

describe('Worker: per-type concurrency caps', () => {
  const { db, startWorker, countWhere } = useWorkerHarness();

  it('runs at most `concurrency` tasks of a capped type at once, while other types use the remaining slots', async () => {
    await createRunLog(db.pool);
    await db.pool.query('truncate task_runs');
    // The capped type's tasks go in first and rank higher: they are at the head of the claim
    // order the whole time, and must neither be claimed past the cap nor hold up the others.
    await db.pool.query(
      `insert into tasks (task_name, max_retries, priority, scheduled_at)
       select 'capped', 0, 1, now() - interval '1 minute' from generate_series(1, 20)`,
    );
    await db.pool.query(`insert into tasks (task_name, max_retries) select 'free', 0 from generate_series(1, 20)`);
    const run =
      (name: string): TaskFunction =>
      (_payload, taskId) =>
        recordRun(db.pool, taskId, name, 150);
    startWorker({
      concurrency: 10,
      handlers: handlers({ capped: run('capped'), free: run('free') }, { capped: { concurrency: 2 } }),
    });

    await waitFor('all 40 tasks completed', async () => (await countWhere(`status = 'completed'`)) === 40, { timeoutMs: 60_000 });
    const counts = await runCounts(db.pool);
    expect(counts.get('capped')).toMatchObject({ runs: 20, tasks: 20 });
    expect(counts.get('free')).toMatchObject({ runs: 20, tasks: 20 });
    expect(counts.get('capped')!.max_overlap).toBeLessThanOrEqual(2);
    expect(counts.get('free')!.max_overlap).toBeGreaterThan(2);
    expect(await countWhere('attempts <> 1')).toBe(0);
  });

  it('never holds more of a capped type than its free slots, even with a prefetch buffer for quick tasks', async () => {
    // Quick tasks make the worker buffer ahead; the capped type's share of the buffer still
    // counts against its cap, so running plus buffered stays at most 3.
    let running = 0;
    let most = 0;
    const quick: TaskFunction = async () => {
      running += 1;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 2));
      running -= 1;
    };
    await db.pool.query(`insert into tasks (task_name, max_retries) select 'quick-capped', 0 from generate_series(1, 300)`);
    await db.pool.query(`insert into tasks (task_name, max_retries) select 'quick', 0 from generate_series(1, 300)`);
    const worker = startWorker({
      concurrency: 8,
      prefetch: 80,
      handlers: handlers({ 'quick-capped': quick, quick: async () => {} }, { 'quick-capped': { concurrency: 3 } }),
    });
    // Running plus buffered, read from the worker's insides: the database cannot tell a buffered
    // task from a running one, nor a finished one whose outcome is still being written.
    const insides = worker as unknown as { running: Map<string, Held>; buffer: Held[] };
    let mostHeld = 0;
    const held = setInterval(() => {
      const capped = [...insides.running.values(), ...insides.buffer].filter((run) => run.task.task_name === 'quick-capped');
      mostHeld = Math.max(mostHeld, capped.length);
    }, 1);
    try {
      await waitFor('all 600 tasks completed', async () => (await countWhere(`status = 'completed'`)) === 600, { timeoutMs: 60_000 });
    } finally {
      clearInterval(held);
    }
    expect(most).toBeLessThanOrEqual(3);
    expect(mostHeld).toBeLessThanOrEqual(3);
  });

  it('claims a capped type that has no tasks due without taking anything else: the others still run', async () => {
    await db.pool.query(`insert into tasks (task_name, max_retries) select 'other', 0 from generate_series(1, 30)`);
    startWorker({ handlers: handlers({ idle: async () => {}, other: async () => {} }, { idle: { concurrency: 1 } }) });
    await waitFor('the other type completed', async () => (await countWhere(`status = 'completed'`)) === 30);
  });

  it('picks up a capped type as soon as a slot frees, not a poll interval later, while its backlog lasts', async () => {
    await db.pool.query(`insert into tasks (task_name, max_retries) select 'one-at-a-time', 0 from generate_series(1, 10)`);
    // A poll interval far longer than the test's timeout: only the freed slot can wake the worker.
    startWorker({
      pollIntervalMs: 60_000,
      listen: false,
      handlers: handlers({ 'one-at-a-time': async () => {} }, { 'one-at-a-time': { concurrency: 1 } }),
    });
    await waitFor('all ten completed one after the other', async () => (await countWhere(`status = 'completed'`)) === 10, {
      timeoutMs: 20_000,
    });
  });
});

describe('Worker: per-type maxRetries', () => {
  const { db, startWorker, waitUntilFailedForGood } = useWorkerHarness();

  const contexts: TaskContext[] = [];
  const alwaysFails: TaskFunction = async (_payload, _taskId, context) => {
    contexts.push(context);
    throw new Error('always');
  };
  /** A handler with maxRetries 1 that always fails, and one without a setting. */
  const lookup = handlers({ strict: alwaysFails, plain: alwaysFails }, { strict: { maxRetries: 1 } });

  function addWithout(name: string, stand_in = 3) {
    // What the API stores for a task submitted without max_retries: its DEFAULT_MAX_RETRIES, as a stand-in.
    return addTask(db.pool, { task_name: name, max_retries: stand_in, max_retries_source: 'default' });
  }

  it("gives a task submitted without max_retries the handler's maxRetries: failed for good after 2 attempts", async () => {
    contexts.length = 0;
    const task = await addWithout('strict');
    expect(task).toMatchObject({ max_retries: 3, max_retries_source: 'default' });
    startWorker({ handlers: lookup });
    const failed = await waitUntilFailedForGood(task.id);
    expect(failed).toMatchObject({ attempts: 2, max_retries: 1, max_retries_source: 'handler' });
    // The handler is told the limit in force from the first attempt on.
    expect(contexts.map((context) => [context.attempt, context.maxRetries])).toEqual([
      [1, 1],
      [2, 1],
    ]);
  });

  it("lets an explicit max_retries win over the handler's: 0 fails for good after 1 attempt, 2 after 3", async () => {
    const none = await addTask(db.pool, { task_name: 'strict', max_retries: 0 });
    const more = await addTask(db.pool, { task_name: 'strict', max_retries: 2 });
    startWorker({ handlers: lookup });
    expect(await waitUntilFailedForGood(none.id)).toMatchObject({ attempts: 1, max_retries: 0, max_retries_source: 'explicit' });
    expect(await waitUntilFailedForGood(more.id)).toMatchObject({ attempts: 3, max_retries: 2, max_retries_source: 'explicit' });
  });

  it('leaves a type without maxRetries on the stand-in default', async () => {
    const task = await addWithout('plain', 2);
    startWorker({ handlers: lookup });
    expect(await waitUntilFailedForGood(task.id)).toMatchObject({ attempts: 3, max_retries: 2, max_retries_source: 'default' });
  });

  it('applies to tasks of a batch one by one, explicit or not', async () => {
    const [defaulted, explicit] = await addTasks(db.pool, [
      { task_name: 'strict', max_retries: 3, max_retries_source: 'default' },
      { task_name: 'strict', max_retries: 0 },
    ]);
    startWorker({ handlers: lookup });
    expect(await waitUntilFailedForGood(defaulted!.id)).toMatchObject({ attempts: 2, max_retries: 1, max_retries_source: 'handler' });
    expect(await waitUntilFailedForGood(explicit!.id)).toMatchObject({ attempts: 1, max_retries: 0, max_retries_source: 'explicit' });
  });

  it('fixes the limit at the first attempt: a worker with another setting running a retry keeps it', async () => {
    // Two deployments disagree: the first attempt runs where the handler says 1, the retry where it says 5.
    const task = await addWithout('strict');
    // Its retry is due only in an hour, so this worker runs the first attempt alone.
    const first = startWorker({
      workerId: 'says-1',
      retry: { baseDelayMs: 3_600_000, maxDelayMs: 3_600_000 },
      handlers: handlers({ strict: alwaysFails }, { strict: { maxRetries: 1 } }),
    });
    await waitFor('the first attempt failed, its retry pending', async () => (await getTask(db.pool, task.id)).next_retry_at !== null);
    await first.stop();
    expect(first.counters.failed).toBe(1);
    await runTaskNow(db.pool, task.id);
    startWorker({ workerId: 'says-5', handlers: handlers({ strict: alwaysFails }, { strict: { maxRetries: 5 } }) });
    expect(await waitUntilFailedForGood(task.id)).toMatchObject({ attempts: 2, max_retries: 1, max_retries_source: 'handler' });
  });

  it('refuses to start with an invalid setting from a lookup, naming the type', () => {
    for (const [options, message] of [
      [{ concurrency: 0 }, 'task type "bad": concurrency must be a positive integer'],
      [{ maxRetries: -1 }, 'task type "bad": maxRetries must be an integer from 0 to 1000, got -1'],
      [{ maxRetries: 1.5 }, 'maxRetries must be an integer from 0 to 1000, got 1.5'],
    ] as const) {
      expect(() => startWorker({ handlers: handlers({ bad: async () => {} }, { bad: options }) })).toThrow(message);
    }
  });
});
