import { describe, expect, it } from 'vitest';
import { useLeaseFixtures } from '../../../../test/support/lease-fixtures.js';
import { completeTasks } from './complete-tasks.js';
import { failTask, MAX_ERROR_LENGTH } from './fail-task.js';
import { getTask } from './get-task.js';
import { releaseTasks } from './release-tasks.js';
import { rescueExpiredTasks } from './rescue-expired-tasks.js';
import { ATTEMPT_HISTORY_LIMIT, type AttemptRecord } from './task.js';

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

describe('attempt history', () => {
  const { db, add, claim, addAndClaim, expireLeases, rescueError } = useLeaseFixtures();

  /** Claims the task again (as `workerId`) and fails that attempt with a numbered error. */
  async function claimAndFail(id: string, workerId: string): Promise<number> {
    const [claimed] = await claim(workerId, { limit: 1 });
    expect(claimed?.id).toBe(id);
    const attempt = claimed!.attempts;
    const failed = await failTask(db.pool, {
      id,
      attempt,
      workerId,
      error: `boom ${attempt}`,
      stack: `Error: boom ${attempt}\n    at handler (job.ts:${attempt}:1)`,
      retryDelayMs: 0,
    });
    expect(failed).not.toBeNull();
    return attempt;
  }

  function expectWellFormed(record: AttemptRecord): void {
    expect(record.started_at).toMatch(ISO);
    expect(record.finished_at).toMatch(ISO);
    expect(Date.parse(record.finished_at)).toBeGreaterThanOrEqual(Date.parse(record.started_at!));
  }

  it(`keeps exactly the last ${ATTEMPT_HISTORY_LIMIT} of 25 failed attempts, oldest first, each with its message and stack`, async () => {
    const task = await add({ maxRetries: 30 });
    for (let i = 1; i <= 25; i += 1) await claimAndFail(task.id, `worker-${i}`);

    const { attempt_history: history, attempts } = await getTask(db.pool, task.id);
    expect(attempts).toBe(25);
    expect(history).toHaveLength(ATTEMPT_HISTORY_LIMIT);
    expect(history.map((record) => record.attempt)).toEqual(Array.from({ length: 20 }, (_, i) => i + 6));
    for (const record of history) {
      expect(record).toMatchObject({
        worker_id: `worker-${record.attempt}`,
        outcome: 'failed',
        error: { message: `boom ${record.attempt}`, stack: `Error: boom ${record.attempt}\n    at handler (job.ts:${record.attempt}:1)` },
      });
      expectWellFormed(record);
    }
  });

  it('records a completed attempt after failed ones, with its start time and worker and no error', async () => {
    const task = await add({ maxRetries: 3 });
    await claimAndFail(task.id, 'worker-a');
    const [claimed] = await claim('worker-b', { limit: 1 });
    expect(await completeTasks(db.pool, { workerId: 'worker-b', tasks: [{ id: task.id, attempt: 2 }] })).toEqual([task.id]);

    const { attempt_history: history } = await getTask(db.pool, task.id);
    expect(history.map((record) => [record.attempt, record.worker_id, record.outcome])).toEqual([
      [1, 'worker-a', 'failed'],
      [2, 'worker-b', 'completed'],
    ]);
    expect(history[1]).toMatchObject({ started_at: claimed!.started_at!.toISOString(), error: null });
    expectWellFormed(history[1]!);
  });

  it('gives every task of a completed batch its own record', async () => {
    const tasks = await addAndClaim({ count: 3, workerId: 'batch-worker' });
    await completeTasks(db.pool, { workerId: 'batch-worker', tasks: tasks.map((t) => ({ id: t.id, attempt: t.attempts })) });
    for (const task of tasks) {
      const { attempt_history: history } = await getTask(db.pool, task.id);
      expect(history).toEqual([expect.objectContaining({ attempt: 1, worker_id: 'batch-worker', outcome: 'completed' })]);
    }
  });

  it('records a rescued attempt as lease_expired, naming the worker that stopped heartbeating', async () => {
    const [task] = await addAndClaim({ workerId: 'dead-worker' });
    await expireLeases([task!.id]);
    expect(await rescueExpiredTasks(db.pool)).toHaveLength(1);

    const { attempt_history: history } = await getTask(db.pool, task!.id);
    expect(history).toEqual([
      expect.objectContaining({
        attempt: 1,
        worker_id: 'dead-worker',
        outcome: 'lease_expired',
        error: { message: rescueError('dead-worker'), stack: null },
      }),
    ]);
    expectWellFormed(history[0]!);
  });

  it('records an attempt given back on shutdown as released, though its attempt number is returned', async () => {
    const [task] = await addAndClaim({ workerId: 'leaving-worker' });
    expect(await releaseTasks(db.pool, { workerId: 'leaving-worker', tasks: [{ id: task!.id, attempt: 1 }] })).toEqual([task!.id]);

    const released = await getTask(db.pool, task!.id);
    expect(released.attempts).toBe(0);
    expect(released.attempt_history).toEqual([
      expect.objectContaining({ attempt: 1, worker_id: 'leaving-worker', outcome: 'released', error: null }),
    ]);
  });

  it('caps a stack at MAX_ERROR_LENGTH and keeps one holding U+0000 storable', async () => {
    const [task] = await addAndClaim({ maxRetries: 3 });
    const stack = `Error: nul \u0000 here\n${'    at frame\n'.repeat(2_000)}`;
    await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-1', error: 'nul', stack, retryDelayMs: 0 });

    const [record] = (await getTask(db.pool, task!.id)).attempt_history;
    expect(record!.error!.stack).toHaveLength(MAX_ERROR_LENGTH);
    expect(record!.error!.stack).toMatch(/^Error: nul \\u0000 here\n {4}at frame/);
  });

  it('records a failure without a stack with stack null', async () => {
    const [task] = await addAndClaim({ maxRetries: 3 });
    await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-1', error: 'plain', retryDelayMs: 0 });
    const [record] = (await getTask(db.pool, task!.id)).attempt_history;
    expect(record!.error).toEqual({ message: 'plain', stack: null });
  });

  it('records nothing for a running attempt, nor for a write the fence refused', async () => {
    const [task] = await addAndClaim({ workerId: 'worker-1' });
    expect((await getTask(db.pool, task!.id)).attempt_history).toEqual([]);
    expect(await completeTasks(db.pool, { workerId: 'intruder', tasks: [{ id: task!.id, attempt: 1 }] })).toEqual([]);
    expect(await getTask(db.pool, task!.id)).toMatchObject({ status: 'running', attempt_history: [] });
  });
});
