import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { addTask } from './add-task.js';
import { addTasks } from './add-tasks.js';
import { claimTasks, type ClaimTasksParams } from './claim-tasks.js';
import { failTask } from './fail-task.js';
import { getTask } from './get-task.js';
import { releaseTasks } from './release-tasks.js';
import { rescueExpiredTasks } from './rescue-expired-tasks.js';
import { retryTask } from './retry-task.js';
import type { Task } from './task.js';

describe('claimTasks with per-name limits', () => {
  const db = useTestDatabase({ truncateEach: true });

  /** `count` due tasks of `name`; a higher `priority` puts them ahead in the claim order. */
  async function addMany(name: string, count: number, priority = 0): Promise<void> {
    await db.pool.query(
      `insert into tasks (task_name, max_retries, priority, scheduled_at)
       select $1, 0, $3, now() - interval '1 minute' from generate_series(1, $2)`,
      [name, count, priority],
    );
  }

  function claim(params: Partial<ClaimTasksParams> & Pick<ClaimTasksParams, 'taskNames'>): Promise<Task[]> {
    return claimTasks(db.pool, { workerId: 'w', limit: 10, ...params });
  }

  function countByName(tasks: Task[]): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const task of tasks) counts[task.task_name] = (counts[task.task_name] ?? 0) + 1;
    return counts;
  }

  it('takes a limited name only up to its limit, and fills the rest of the limit with the other names', async () => {
    await addMany('capped', 20, 5);
    await addMany('free', 20);
    const claimed = await claim({ taskNames: ['capped', 'free'], perNameLimits: [['capped', 2]] });
    expect(countByName(claimed)).toEqual({ capped: 2, free: 8 });
  });

  it('takes a limited name even when higher-priority tasks of other names would fill the whole limit', async () => {
    await addMany('busy', 50, 9);
    await addMany('capped', 5, 0);
    const claimed = await claim({ taskNames: ['busy', 'capped'], perNameLimits: [['capped', 3]] });
    expect(countByName(claimed)).toEqual({ capped: 3, busy: 7 });
  });

  it('takes no more than the limit in all: earlier names get theirs first when the limits add up to more', async () => {
    await addMany('a', 10);
    await addMany('b', 10);
    await addMany('c', 10);
    const claimed = await claim({
      taskNames: ['a', 'b', 'c'],
      limit: 5,
      perNameLimits: [
        ['b', 4],
        ['a', 4],
      ],
    });
    expect(countByName(claimed)).toEqual({ b: 4, a: 1 });
  });

  it('takes none of a name limited to 0, and claims nothing at all when every name is', async () => {
    await addMany('full', 5);
    await addMany('other', 5);
    expect(countByName(await claim({ taskNames: ['full', 'other'], perNameLimits: [['full', 0]] }))).toEqual({ other: 5 });
    expect(await claim({ taskNames: ['full'], perNameLimits: [['full', 0]] })).toEqual([]);
    const { rows } = await db.pool.query(`select count(*)::int as n from tasks where task_name = 'full' and status = 'pending'`);
    expect(rows[0].n).toBe(5);
  });

  it('ignores limits of names not in taskNames: the worker never claims what it has no handler for', async () => {
    await addMany('elsewhere', 5);
    await addMany('mine', 5);
    expect(countByName(await claim({ taskNames: ['mine'], perNameLimits: [['elsewhere', 5]] }))).toEqual({ mine: 5 });
  });

  it('keeps priority order within a limited name', async () => {
    const low = await addTask(db.pool, { task_name: 'capped', max_retries: 0, priority: 1 });
    const high = await addTask(db.pool, { task_name: 'capped', max_retries: 0, priority: 7 });
    const claimed = await claim({ taskNames: ['capped'], perNameLimits: [['capped', 1]] });
    expect(claimed.map((task) => task.id)).toEqual([high.id]);
    expect((await getTask(db.pool, low.id)).status).toBe('pending');
  });

  it('never lets concurrent claims of one limited name take more than the limits they were given', async () => {
    await addMany('capped', 30);
    const clients = await Promise.all([0, 1, 2].map(() => db.pool.connect()));
    try {
      const batches = await Promise.all(
        clients.map((client, i) =>
          claimTasks(client, { workerId: `w${i}`, taskNames: ['capped'], limit: 10, perNameLimits: [['capped', 4]] }),
        ),
      );
      for (const batch of batches) expect(batch.length).toBeLessThanOrEqual(4);
      const ids = batches.flat().map((task) => task.id);
      expect(new Set(ids).size).toBe(ids.length);
    } finally {
      for (const client of clients) client.release();
    }
  });
});

describe('claimTasks with handlers’ maxRetries', () => {
  const db = useTestDatabase({ truncateEach: true });
  const strict = [['job', 1]] as const;

  function claimJob(workerId = 'w'): Promise<Task[]> {
    return claimTasks(db.pool, { workerId, taskNames: ['job'], limit: 10, handlerMaxRetries: strict });
  }

  async function failAttempt(task: Task, workerId = 'w'): Promise<void> {
    await failTask(db.pool, { workerId, id: task.id, attempt: task.attempts, error: 'boom', retryDelayMs: 0 });
  }

  it("gives a task submitted without max_retries the handler's value when its first attempt starts", async () => {
    const task = await addTask(db.pool, { task_name: 'job', max_retries: 3, max_retries_source: 'default' });
    expect(task).toMatchObject({ max_retries: 3, max_retries_source: 'default' });
    const [claimed] = await claimJob();
    expect(claimed).toMatchObject({ attempts: 1, max_retries: 1, max_retries_source: 'handler' });
  });

  it('leaves an explicit max_retries alone', async () => {
    const task = await addTask(db.pool, { task_name: 'job', max_retries: 0 });
    expect(task.max_retries_source).toBe('explicit');
    const [claimed] = await claimJob();
    expect(claimed).toMatchObject({ max_retries: 0, max_retries_source: 'explicit' });
  });

  it('leaves a name without a handler value on the stand-in', async () => {
    await addTask(db.pool, { task_name: 'job', max_retries: 3, max_retries_source: 'default' });
    const [claimed] = await claimTasks(db.pool, { workerId: 'w', taskNames: ['job'], limit: 10, handlerMaxRetries: [['other', 9]] });
    expect(claimed).toMatchObject({ max_retries: 3, max_retries_source: 'default' });
  });

  it('fixes the limit from the first attempt on: a retry claimed with another handler value keeps it', async () => {
    await addTask(db.pool, { task_name: 'job', max_retries: 3, max_retries_source: 'default' });
    const [first] = await claimJob();
    await failAttempt(first!);
    const [retry] = await claimTasks(db.pool, { workerId: 'w2', taskNames: ['job'], limit: 10, handlerMaxRetries: [['job', 7]] });
    expect(retry).toMatchObject({ attempts: 2, max_retries: 1, max_retries_source: 'handler' });
    // The fenced fail decides with that limit: attempt 2 > max_retries 1, failed for good.
    await failAttempt(retry!, 'w2');
    expect(await getTask(db.pool, retry!.id)).toMatchObject({ status: 'failed', next_retry_at: null, attempts: 2 });
  });

  it('has the lease rescue, which any worker runs, decide with the limit fixed at the claim', async () => {
    const task = await addTask(db.pool, { task_name: 'job', max_retries: 3, max_retries_source: 'default' });
    await claimTasks(db.pool, { workerId: 'w', taskNames: ['job'], limit: 10, leaseMs: 1, handlerMaxRetries: [['job', 0]] });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const [rescued] = await rescueExpiredTasks(db.pool);
    expect(rescued).toMatchObject({ id: task.id, attempts: 1, next_retry_at: null });
    expect(await getTask(db.pool, task.id)).toMatchObject({ status: 'failed', max_retries: 0, max_retries_source: 'handler' });
  });

  it('decides again when the attempt is given back on shutdown, or the task is retried by hand', async () => {
    const task = await addTask(db.pool, { task_name: 'job', max_retries: 3, max_retries_source: 'default' });
    const [first] = await claimJob();
    await releaseTasks(db.pool, { workerId: 'w', tasks: [{ id: first!.id, attempt: first!.attempts }] });
    const [again] = await claimTasks(db.pool, { workerId: 'w', taskNames: ['job'], limit: 10, handlerMaxRetries: [['job', 4]] });
    expect(again).toMatchObject({ attempts: 1, max_retries: 4, max_retries_source: 'handler' });
    await failTask(db.pool, { workerId: 'w', id: task.id, attempt: 1, error: 'boom', retryDelayMs: 0, retryable: false });
    await retryTask(db.pool, task.id);
    const [fresh] = await claimJob();
    expect(fresh).toMatchObject({ attempts: 1, max_retries: 1, max_retries_source: 'handler' });
  });

  it('stores each task of a batch with its own source', async () => {
    const [defaulted, explicit] = await addTasks(db.pool, [
      { task_name: 'job', max_retries: 3, max_retries_source: 'default' },
      { task_name: 'job', max_retries: 3 },
    ]);
    expect(defaulted!.max_retries_source).toBe('default');
    expect(explicit!.max_retries_source).toBe('explicit');
    const claimed = await claimJob();
    expect(claimed.find((task) => task.id === defaulted!.id)).toMatchObject({ max_retries: 1, max_retries_source: 'handler' });
    expect(claimed.find((task) => task.id === explicit!.id)).toMatchObject({ max_retries: 3, max_retries_source: 'explicit' });
  });
});
