import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { addTask } from './add-task.js';
import { claimTasks } from './claim-tasks.js';
import { completeTasks } from './complete-tasks.js';
import { failTask, MAX_ERROR_LENGTH } from './fail-task.js';
import { getTask } from './get-task.js';
import type { Task } from './task.js';

/** How far the DB clock may move between the statement under test and our check of it. */
const CLOCK_TOLERANCE_MS = 5_000;

describe('completeTasks and failTask', () => {
  const db = useTestDatabase({ truncateEach: true });

  async function addAndClaim(options: { maxRetries?: number; workerId?: string; count?: number } = {}): Promise<Task[]> {
    const count = options.count ?? 1;
    for (let i = 0; i < count; i += 1) {
      await addTask(db.pool, { task_name: 'job', payload: { i }, max_retries: options.maxRetries ?? 3 });
    }
    const claimed = await claimTasks(db.pool, {
      workerId: options.workerId ?? 'worker-1',
      taskNames: ['job'],
      limit: count,
    });
    expect(claimed).toHaveLength(count);
    return claimed;
  }

  async function claimOne(workerId = 'worker-1'): Promise<Task | undefined> {
    const [task] = await claimTasks(db.pool, { workerId, taskNames: ['job'], limit: 1 });
    return task;
  }

  /** Milliseconds from the DB's now() to `at` (negative when `at` is in the past). */
  async function msFromDbNow(at: Date): Promise<number> {
    const { rows } = await db.pool.query<{ ms: number }>(`select (extract(epoch from ($1::timestamptz - now())) * 1000)::float8 as ms`, [
      at,
    ]);
    return rows[0]!.ms;
  }

  describe('completeTasks', () => {
    it('completes a batch and returns the ids it completed', async () => {
      const tasks = await addAndClaim({ count: 3 });
      await db.pool.query(`update tasks set last_error = 'from an earlier attempt'`);

      const completed = await completeTasks(db.pool, {
        workerId: 'worker-1',
        tasks: tasks.map((t) => ({ id: t.id, attempt: t.attempts })),
      });

      expect(completed.sort()).toEqual(tasks.map((t) => t.id).sort());
      for (const task of tasks) {
        const row = await getTask(db.pool, task.id);
        expect(row).toMatchObject({
          status: 'completed',
          attempts: 1,
          locked_by: null,
          locked_at: null,
          last_error: null,
          next_retry_at: null,
        });
        expect(row.finished_at).toBeInstanceOf(Date);
        expect(Math.abs(await msFromDbNow(row.finished_at!))).toBeLessThan(CLOCK_TOLERANCE_MS);
        expect(row.started_at).toEqual(task.started_at);
      }
    });

    it('returns [] for an empty batch', async () => {
      expect(await completeTasks(db.pool, { workerId: 'worker-1', tasks: [] })).toEqual([]);
    });

    it('changes nothing and returns [] when the workerId is wrong', async () => {
      const [task] = await addAndClaim();
      const before = await getTask(db.pool, task!.id);
      expect(await completeTasks(db.pool, { workerId: 'intruder', tasks: [{ id: task!.id, attempt: 1 }] })).toEqual([]);
      expect(await getTask(db.pool, task!.id)).toEqual(before);
    });

    it('changes nothing and returns [] when the attempt is wrong', async () => {
      const [task] = await addAndClaim();
      const before = await getTask(db.pool, task!.id);
      for (const attempt of [0, 2, 99]) {
        expect(await completeTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: task!.id, attempt }] })).toEqual([]);
      }
      expect(await getTask(db.pool, task!.id)).toEqual(before);
    });

    it('changes nothing and returns [] for a task that is no longer running', async () => {
      const [task] = await addAndClaim();
      const fence = { workerId: 'worker-1', tasks: [{ id: task!.id, attempt: 1 }] };
      expect(await completeTasks(db.pool, fence)).toEqual([task!.id]);
      const completed = await getTask(db.pool, task!.id);
      // A second completion of the same attempt is refused.
      expect(await completeTasks(db.pool, fence)).toEqual([]);
      expect(await getTask(db.pool, task!.id)).toEqual(completed);

      // A failed task (awaiting retry) cannot be completed either.
      const [other] = await addAndClaim();
      await failTask(db.pool, { id: other!.id, attempt: 1, workerId: 'worker-1', error: 'x', retryDelayMs: 60_000 });
      const failed = await getTask(db.pool, other!.id);
      expect(await completeTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: other!.id, attempt: 1 }] })).toEqual([]);
      expect(await getTask(db.pool, other!.id)).toEqual(failed);
    });

    it('changes nothing and returns [] for a pending task or an unknown id', async () => {
      const pending = await addTask(db.pool, { task_name: 'job', max_retries: 0 });
      expect(
        await completeTasks(db.pool, {
          workerId: 'worker-1',
          tasks: [
            { id: pending.id, attempt: 0 },
            { id: '00000000-0000-4000-8000-000000000000', attempt: 1 },
          ],
        }),
      ).toEqual([]);
      expect((await getTask(db.pool, pending.id)).status).toBe('pending');
    });

    it('completes only the fenced-in members of a mixed batch', async () => {
      const [a, b, c] = await addAndClaim({ count: 3 });
      const completed = await completeTasks(db.pool, {
        workerId: 'worker-1',
        tasks: [
          { id: a!.id, attempt: 1 },
          { id: b!.id, attempt: 2 }, // wrong attempt
          { id: c!.id, attempt: 1 },
        ],
      });
      expect(completed.sort()).toEqual([a!.id, c!.id].sort());
      expect((await getTask(db.pool, b!.id)).status).toBe('running');
    });

    it('does not let a worker that lost a task complete the next attempt of someone else', async () => {
      const [task] = await addAndClaim({ workerId: 'worker-a' });
      await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-a', error: 'x', retryDelayMs: 0 });
      const retry = await claimOne('worker-b');
      expect(retry).toMatchObject({ id: task!.id, attempts: 2, locked_by: 'worker-b' });

      // worker-a still believes it runs attempt 1; then tries attempt 2 under its own name.
      expect(await completeTasks(db.pool, { workerId: 'worker-a', tasks: [{ id: task!.id, attempt: 1 }] })).toEqual([]);
      expect(await completeTasks(db.pool, { workerId: 'worker-a', tasks: [{ id: task!.id, attempt: 2 }] })).toEqual([]);
      expect(await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-a', error: 'late', retryDelayMs: 0 })).toBeNull();
      expect(await getTask(db.pool, task!.id)).toMatchObject({ status: 'running', locked_by: 'worker-b', attempts: 2 });

      expect(await completeTasks(db.pool, { workerId: 'worker-b', tasks: [{ id: task!.id, attempt: 2 }] })).toEqual([task!.id]);
    });
  });

  describe('failTask', () => {
    it('changes nothing and returns null when the workerId is wrong', async () => {
      const [task] = await addAndClaim();
      const before = await getTask(db.pool, task!.id);
      expect(await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'intruder', error: 'x', retryDelayMs: 0 })).toBeNull();
      expect(await getTask(db.pool, task!.id)).toEqual(before);
    });

    it('changes nothing and returns null when the attempt is wrong', async () => {
      const [task] = await addAndClaim();
      const before = await getTask(db.pool, task!.id);
      for (const attempt of [0, 2]) {
        expect(await failTask(db.pool, { id: task!.id, attempt, workerId: 'worker-1', error: 'x', retryDelayMs: 0 })).toBeNull();
      }
      expect(await getTask(db.pool, task!.id)).toEqual(before);
    });

    it('changes nothing and returns null for a task that is no longer running', async () => {
      const [task] = await addAndClaim();
      await completeTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: task!.id, attempt: 1 }] });
      const completed = await getTask(db.pool, task!.id);
      expect(await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-1', error: 'x', retryDelayMs: 0 })).toBeNull();
      expect(await getTask(db.pool, task!.id)).toEqual(completed);

      // Failing the same attempt twice: the second call is refused and keeps the first error.
      const [other] = await addAndClaim();
      const params = { id: other!.id, attempt: 1, workerId: 'worker-1', retryDelayMs: 60_000 };
      expect(await failTask(db.pool, { ...params, error: 'first' })).not.toBeNull();
      const failed = await getTask(db.pool, other!.id);
      expect(await failTask(db.pool, { ...params, error: 'second' })).toBeNull();
      expect(await getTask(db.pool, other!.id)).toEqual(failed);
      expect(failed.last_error).toBe('first');
    });

    it('returns null for an unknown id', async () => {
      expect(
        await failTask(db.pool, {
          id: '00000000-0000-4000-8000-000000000000',
          attempt: 1,
          workerId: 'worker-1',
          error: 'x',
          retryDelayMs: 0,
        }),
      ).toBeNull();
    });

    it('with retries left: status failed, next_retry_at = scheduled_at ≈ now() + delay, lock cleared, error kept', async () => {
      const [task] = await addAndClaim({ maxRetries: 3 });
      const delay = 30_000;
      const result = await failTask(db.pool, {
        id: task!.id,
        attempt: 1,
        workerId: 'worker-1',
        error: 'connection refused',
        retryDelayMs: delay,
      });

      expect(result).toMatchObject({ id: task!.id, attempts: 1, max_retries: 3 });
      expect(result!.next_retry_at).toBeInstanceOf(Date);

      const row = await getTask(db.pool, task!.id);
      expect(row).toMatchObject({
        status: 'failed',
        attempts: 1,
        last_error: 'connection refused',
        locked_by: null,
        locked_at: null,
        finished_at: null,
      });
      expect(row.next_retry_at).toEqual(result!.next_retry_at);
      expect(row.scheduled_at).toEqual(row.next_retry_at);
      // now() has only moved forward since failTask ran, so the gap is at most the delay.
      const untilRetry = await msFromDbNow(row.next_retry_at!);
      expect(untilRetry).toBeLessThanOrEqual(delay);
      expect(untilRetry).toBeGreaterThan(delay - CLOCK_TOLERANCE_MS);
      // The gap between failing and the retry is the delay exactly, in the DB clock.
      expect(row.next_retry_at!.getTime() - row.updated_at.getTime()).toBe(delay);
      // started_at is the start of the attempt that failed.
      expect(row.started_at).toEqual(task!.started_at);
    });

    it('keeps retrying while attempts <= max_retries (max_retries 1: attempt 1 retries, attempt 2 is final)', async () => {
      const [task] = await addAndClaim({ maxRetries: 1 });
      const first = await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-1', error: 'e1', retryDelayMs: 0 });
      expect(first!.next_retry_at).not.toBeNull();
      const retry = await claimOne();
      expect(retry).toMatchObject({ id: task!.id, attempts: 2 });
      const second = await failTask(db.pool, { id: task!.id, attempt: 2, workerId: 'worker-1', error: 'e2', retryDelayMs: 0 });
      expect(second).toMatchObject({ attempts: 2, max_retries: 1, next_retry_at: null });
    });

    it('with no retries left: next_retry_at null, finished_at set, scheduled_at untouched', async () => {
      const [task] = await addAndClaim({ maxRetries: 0 });
      const result = await failTask(db.pool, {
        id: task!.id,
        attempt: 1,
        workerId: 'worker-1',
        error: 'permanent',
        retryDelayMs: 30_000,
      });
      expect(result).toEqual({ id: task!.id, attempts: 1, max_retries: 0, next_retry_at: null });

      const row = await getTask(db.pool, task!.id);
      expect(row).toMatchObject({
        status: 'failed',
        attempts: 1,
        next_retry_at: null,
        last_error: 'permanent',
        locked_by: null,
        locked_at: null,
        scheduled_at: task!.scheduled_at,
      });
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(Math.abs(await msFromDbNow(row.finished_at!))).toBeLessThan(CLOCK_TOLERANCE_MS);
    });

    it('with retryable false: fails for good even though retries remain', async () => {
      const [task] = await addAndClaim({ maxRetries: 5 });
      const result = await failTask(db.pool, {
        id: task!.id,
        attempt: 1,
        workerId: 'worker-1',
        error: 'malformed payload',
        retryDelayMs: 1_000,
        retryable: false,
      });
      expect(result).toMatchObject({ attempts: 1, max_retries: 5, next_retry_at: null });
      const row = await getTask(db.pool, task!.id);
      expect(row).toMatchObject({ status: 'failed', next_retry_at: null, last_error: 'malformed payload' });
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(await claimOne()).toBeUndefined();
    });

    it('stores non-ASCII error messages verbatim', async () => {
      const [task] = await addAndClaim();
      const error = `ошибка ✗ "quoted" 'single' \\ done`;
      await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-1', error, retryDelayMs: 0 });
      expect((await getTask(db.pool, task!.id)).last_error).toBe(error);
    });

    it('keeps the first MAX_ERROR_LENGTH characters of a very long error', async () => {
      const [task] = await addAndClaim();
      const error = 'x'.repeat(MAX_ERROR_LENGTH + 5_000);
      await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-1', error, retryDelayMs: 0 });
      expect((await getTask(db.pool, task!.id)).last_error).toBe(error.slice(0, MAX_ERROR_LENGTH));
    });

    it('records an error containing U+0000, which PostgreSQL text cannot hold, with the character escaped', async () => {
      const [task] = await addAndClaim();
      const failed = await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-1', error: 'a\u0000b', retryDelayMs: 0 });
      expect(failed).not.toBeNull();
      expect((await getTask(db.pool, task!.id)).last_error).toBe('a\\u0000b');
    });

    it('runs a task with max_retries 2 exactly 3 times, then leaves it failed and never claims it again', async () => {
      const task = await addTask(db.pool, { task_name: 'job', max_retries: 2 });
      const attemptsSeen: number[] = [];
      const results: Array<Date | null> = [];

      for (let cycle = 0; cycle < 10; cycle += 1) {
        const claimed = await claimOne();
        if (!claimed) break;
        attemptsSeen.push(claimed.attempts);
        const failed = await failTask(db.pool, {
          id: claimed.id,
          attempt: claimed.attempts,
          workerId: 'worker-1',
          error: `attempt ${claimed.attempts} failed`,
          retryDelayMs: 60_000,
        });
        results.push(failed!.next_retry_at);
        // Skip the wait: make the retry due now (a no-op once it has failed for good).
        await db.pool.query(
          `update tasks set scheduled_at = now(), next_retry_at = case when next_retry_at is not null then now() end
            where id = $1`,
          [task.id],
        );
      }

      expect(attemptsSeen).toEqual([1, 2, 3]);
      expect(results.map((r) => r !== null)).toEqual([true, true, false]);
      const row = await getTask(db.pool, task.id);
      expect(row).toMatchObject({ status: 'failed', attempts: 3, next_retry_at: null, last_error: 'attempt 3 failed' });
      expect(row.finished_at).toBeInstanceOf(Date);

      await db.pool.query(`update tasks set scheduled_at = now() - interval '1 day' where id = $1`, [task.id]);
      expect(await claimOne()).toBeUndefined();
      expect((await getTask(db.pool, task.id)).attempts).toBe(3);
    });

    it('with retryDelayMs 0 the retry is due at once', async () => {
      const task = await addTask(db.pool, { task_name: 'job', max_retries: 2 });
      let runs = 0;
      for (let claimed = await claimOne(); claimed; claimed = await claimOne()) {
        runs += 1;
        await failTask(db.pool, { id: claimed.id, attempt: claimed.attempts, workerId: 'worker-1', error: 'e', retryDelayMs: 0 });
        if (runs > 10) break;
      }
      expect(runs).toBe(3);
      expect(await getTask(db.pool, task.id)).toMatchObject({ status: 'failed', attempts: 3, next_retry_at: null });
    });
  });
});
