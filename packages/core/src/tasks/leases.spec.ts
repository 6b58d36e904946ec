import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { addTask } from './add-task.js';
import { cancelTask } from './cancel-task.js';
import { claimTasks, DEFAULT_LEASE_MS } from './claim-tasks.js';
import { completeTasks } from './complete-tasks.js';
import { failTask } from './fail-task.js';
import { getTask } from './get-task.js';
import { releaseTasks } from './release-tasks.js';
import { renewLeases } from './renew-leases.js';
import { rescueExpiredTasks } from './rescue-expired-tasks.js';
import type { Task } from './task.js';

/** How far the DB clock may move between the statement under test and our check of it. */
const CLOCK_TOLERANCE_MS = 5_000;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('leases: claim, renewLeases, rescueExpiredTasks, releaseTasks', () => {
  const db = useTestDatabase({ truncateEach: true });

  async function add(options: { maxRetries?: number; name?: string } = {}): Promise<Task> {
    return addTask(db.pool, { task_name: options.name ?? 'job', max_retries: options.maxRetries ?? 3 });
  }

  async function claim(workerId = 'worker-1', options: { limit?: number; leaseMs?: number } = {}): Promise<Task[]> {
    return claimTasks(db.pool, { workerId, taskNames: ['job'], limit: options.limit ?? 100, leaseMs: options.leaseMs });
  }

  /** Adds `count` tasks and has `workerId` claim exactly those. */
  async function addAndClaim(
    options: { count?: number; maxRetries?: number; workerId?: string; leaseMs?: number } = {},
  ): Promise<Task[]> {
    const count = options.count ?? 1;
    for (let i = 0; i < count; i += 1) await add({ maxRetries: options.maxRetries });
    const claimed = await claim(options.workerId, { limit: count, leaseMs: options.leaseMs });
    expect(claimed).toHaveLength(count);
    return claimed;
  }

  /** Makes the lease of these tasks lapse, as if their worker had stopped heartbeating a while ago. */
  async function expireLeases(ids: readonly string[], agoMs = 1_000): Promise<void> {
    await db.pool.query(
      `update tasks set lease_expires_at = now() - $2 * interval '1 millisecond' where id = any($1::uuid[])`,
      [ids, agoMs],
    );
  }

  /** Milliseconds from the DB's now() to `at` (negative when `at` is in the past). */
  async function msFromDbNow(at: Date): Promise<number> {
    const { rows } = await db.pool.query<{ ms: number }>(
      `select (extract(epoch from ($1::timestamptz - now())) * 1000)::float8 as ms`,
      [at],
    );
    return rows[0]!.ms;
  }

  /** lease_expires_at - locked_at in ms, computed by PostgreSQL at full (microsecond) precision. */
  async function leaseLengthMs(id: string): Promise<number> {
    const { rows } = await db.pool.query<{ ms: number }>(
      `select (extract(epoch from (lease_expires_at - locked_at)) * 1000)::float8 as ms from tasks where id = $1`,
      [id],
    );
    return rows[0]!.ms;
  }

  async function allRows(): Promise<Task[]> {
    const { rows } = await db.pool.query<{ id: string }>('select id from tasks order by id');
    return Promise.all(rows.map((row) => getTask(db.pool, row.id)));
  }

  const rescueError = (workerId: string) => `lease expired: worker ${workerId} stopped heartbeating`;

  describe('claimTasks', () => {
    it('sets lease_expires_at to now() + leaseMs in the DB clock', async () => {
      const [task] = await addAndClaim({ leaseMs: 45_000 });
      expect(task!.lease_expires_at).toBeInstanceOf(Date);
      // Both come from the same statement's now(), so the gap is the lease exactly.
      expect(await leaseLengthMs(task!.id)).toBe(45_000);
      const untilExpiry = await msFromDbNow(task!.lease_expires_at!);
      expect(untilExpiry).toBeLessThanOrEqual(45_000);
      expect(untilExpiry).toBeGreaterThan(45_000 - CLOCK_TOLERANCE_MS);
      expect(await getTask(db.pool, task!.id)).toMatchObject({ status: 'running', locked_by: 'worker-1', attempts: 1 });
    });

    it('uses DEFAULT_LEASE_MS (30 s) when leaseMs is omitted', async () => {
      expect(DEFAULT_LEASE_MS).toBe(30_000);
      const [task] = await addAndClaim();
      expect(await leaseLengthMs(task!.id)).toBe(DEFAULT_LEASE_MS);
    });

    it('gives a retry (claimed again after a failure) a fresh lease', async () => {
      const [task] = await addAndClaim({ leaseMs: 1_000 });
      await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-1', error: 'x', retryDelayMs: 0 });
      expect((await getTask(db.pool, task!.id)).lease_expires_at).toBeNull();
      const [retry] = await claim('worker-2', { leaseMs: 20_000 });
      expect(retry).toMatchObject({ id: task!.id, attempts: 2, locked_by: 'worker-2' });
      expect(await leaseLengthMs(task!.id)).toBe(20_000);
    });
  });

  describe('renewLeases', () => {
    it("extends only this worker's running tasks on the same attempt, and returns their ids", async () => {
      const mine = await addAndClaim({ count: 3, workerId: 'worker-1', leaseMs: 1_000 });
      const [theirs] = await addAndClaim({ workerId: 'worker-2', leaseMs: 1_000 });
      const theirsBefore = await getTask(db.pool, theirs!.id);

      const renewed = await renewLeases(db.pool, {
        workerId: 'worker-1',
        leaseMs: 60_000,
        tasks: mine.map((t) => ({ id: t.id, attempt: t.attempts })),
      });

      expect(renewed.sort()).toEqual(mine.map((t) => t.id).sort());
      for (const task of mine) {
        const row = await getTask(db.pool, task.id);
        const untilExpiry = await msFromDbNow(row.lease_expires_at!);
        expect(untilExpiry).toBeLessThanOrEqual(60_000);
        expect(untilExpiry).toBeGreaterThan(60_000 - CLOCK_TOLERANCE_MS);
        // Nothing else about the run changes.
        expect(row).toMatchObject({
          status: 'running',
          locked_by: 'worker-1',
          attempts: 1,
          locked_at: task.locked_at,
          started_at: task.started_at,
        });
      }
      expect(await getTask(db.pool, theirs!.id)).toEqual(theirsBefore);
    });

    it('returns [] for an empty list', async () => {
      expect(await renewLeases(db.pool, { workerId: 'worker-1', leaseMs: 60_000, tasks: [] })).toEqual([]);
    });

    it('does not renew, and does not change, a task held by another worker', async () => {
      const [task] = await addAndClaim({ workerId: 'worker-2' });
      const before = await getTask(db.pool, task!.id);
      expect(
        await renewLeases(db.pool, { workerId: 'worker-1', leaseMs: 60_000, tasks: [{ id: task!.id, attempt: 1 }] }),
      ).toEqual([]);
      expect(await getTask(db.pool, task!.id)).toEqual(before);
    });

    it('does not renew, and does not change, a task on another attempt', async () => {
      const [task] = await addAndClaim();
      const before = await getTask(db.pool, task!.id);
      for (const attempt of [0, 2, 99]) {
        expect(
          await renewLeases(db.pool, { workerId: 'worker-1', leaseMs: 60_000, tasks: [{ id: task!.id, attempt }] }),
        ).toEqual([]);
      }
      expect(await getTask(db.pool, task!.id)).toEqual(before);
    });

    it('does not renew, and does not change, tasks that are no longer running', async () => {
      const [completed, failedRetrying, failedForGood] = await addAndClaim({ count: 3, maxRetries: 1 });
      await completeTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: completed!.id, attempt: 1 }] });
      await failTask(db.pool, { id: failedRetrying!.id, attempt: 1, workerId: 'worker-1', error: 'e', retryDelayMs: 60_000 });
      await failTask(db.pool, {
        id: failedForGood!.id,
        attempt: 1,
        workerId: 'worker-1',
        error: 'e',
        retryDelayMs: 0,
        retryable: false,
      });
      const [released] = await addAndClaim();
      await releaseTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: released!.id, attempt: 1 }] });
      const cancelled = await add();
      await cancelTask(db.pool, cancelled.id);
      const pending = await add({ name: 'other' });
      const before = await allRows();

      const renewed = await renewLeases(db.pool, {
        workerId: 'worker-1',
        leaseMs: 60_000,
        tasks: [
          { id: completed!.id, attempt: 1 },
          { id: failedRetrying!.id, attempt: 1 },
          { id: failedForGood!.id, attempt: 1 },
          { id: released!.id, attempt: 1 },
          { id: released!.id, attempt: 0 },
          { id: cancelled.id, attempt: 0 },
          { id: pending.id, attempt: 0 },
          { id: UNKNOWN_ID, attempt: 1 },
        ],
      });

      expect(renewed).toEqual([]);
      expect(await allRows()).toEqual(before);
      for (const row of before) expect(row.lease_expires_at).toBeNull();
    });

    it('renews the fenced-in members of a mixed batch only', async () => {
      const [a, b, c] = await addAndClaim({ count: 3, leaseMs: 1_000 });
      const bBefore = await getTask(db.pool, b!.id);
      const renewed = await renewLeases(db.pool, {
        workerId: 'worker-1',
        leaseMs: 60_000,
        tasks: [
          { id: a!.id, attempt: 1 },
          { id: b!.id, attempt: 2 },
          { id: c!.id, attempt: 1 },
        ],
      });
      expect(renewed.sort()).toEqual([a!.id, c!.id].sort());
      expect(await getTask(db.pool, b!.id)).toEqual(bBefore);
    });

    it('keeps a task out of the rescue once renewed', async () => {
      const [task] = await addAndClaim();
      await expireLeases([task!.id]);
      // A late heartbeat from the owner, before anyone rescued the task, still holds it.
      expect(
        await renewLeases(db.pool, { workerId: 'worker-1', leaseMs: 60_000, tasks: [{ id: task!.id, attempt: 1 }] }),
      ).toEqual([task!.id]);
      expect(await rescueExpiredTasks(db.pool)).toEqual([]);
      expect(await getTask(db.pool, task!.id)).toMatchObject({ status: 'running', locked_by: 'worker-1', attempts: 1 });
    });
  });

  describe('rescueExpiredTasks', () => {
    it('returns [] when no lease has expired, and changes nothing', async () => {
      await addAndClaim({ count: 2, leaseMs: 60_000 });
      await add();
      const before = await allRows();
      expect(await rescueExpiredTasks(db.pool)).toEqual([]);
      expect(await allRows()).toEqual(before);
    });

    it('with retries left: failed with the lease error, due at once, attempts unchanged, lock and lease cleared', async () => {
      const [task] = await addAndClaim({ maxRetries: 3, workerId: 'worker-7' });
      await expireLeases([task!.id]);

      const rescued = await rescueExpiredTasks(db.pool);

      expect(rescued).toHaveLength(1);
      expect(rescued[0]).toMatchObject({ id: task!.id, task_name: 'job', lost_by: 'worker-7', attempts: 1 });
      expect(rescued[0]!.next_retry_at).toBeInstanceOf(Date);

      const row = await getTask(db.pool, task!.id);
      expect(row).toMatchObject({
        status: 'failed',
        attempts: 1,
        max_retries: 3,
        last_error: rescueError('worker-7'),
        locked_by: null,
        locked_at: null,
        lease_expires_at: null,
        finished_at: null,
      });
      expect(row.next_retry_at).toEqual(rescued[0]!.next_retry_at);
      expect(row.scheduled_at).toEqual(row.next_retry_at);
      // Due at once: the retry time is the rescue statement's now().
      expect(row.next_retry_at).toEqual(row.updated_at);
      const sinceRetryDue = await msFromDbNow(row.next_retry_at!);
      expect(sinceRetryDue).toBeLessThanOrEqual(0);
      expect(sinceRetryDue).toBeGreaterThan(-CLOCK_TOLERANCE_MS);

      // Another worker can take the retry right away, as attempt 2.
      const [retry] = await claim('worker-8');
      expect(retry).toMatchObject({ id: task!.id, attempts: 2, locked_by: 'worker-8', status: 'running' });
    });

    it('with no retries left: failed for good with finished_at set, scheduled_at untouched, never claimed again', async () => {
      const [task] = await addAndClaim({ maxRetries: 0 });
      await expireLeases([task!.id]);

      const rescued = await rescueExpiredTasks(db.pool);

      expect(rescued).toEqual([{ id: task!.id, task_name: 'job', lost_by: 'worker-1', attempts: 1, next_retry_at: null }]);
      const row = await getTask(db.pool, task!.id);
      expect(row).toMatchObject({
        status: 'failed',
        attempts: 1,
        next_retry_at: null,
        last_error: rescueError('worker-1'),
        locked_by: null,
        locked_at: null,
        lease_expires_at: null,
        scheduled_at: task!.scheduled_at,
      });
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(Math.abs(await msFromDbNow(row.finished_at!))).toBeLessThan(CLOCK_TOLERANCE_MS);
      expect(await claim('worker-2')).toEqual([]);
    });

    it('counts the lapsed run as the attempt it was: the last allowed attempt fails for good', async () => {
      // max_retries 1: attempt 1 lapsing leaves a retry, attempt 2 lapsing does not.
      const [task] = await addAndClaim({ maxRetries: 1 });
      await expireLeases([task!.id]);
      expect((await rescueExpiredTasks(db.pool))[0]!.next_retry_at).not.toBeNull();
      const [retry] = await claim('worker-2');
      expect(retry).toMatchObject({ id: task!.id, attempts: 2 });
      await expireLeases([task!.id]);
      expect(await rescueExpiredTasks(db.pool)).toEqual([
        { id: task!.id, task_name: 'job', lost_by: 'worker-2', attempts: 2, next_retry_at: null },
      ]);
      expect(await getTask(db.pool, task!.id)).toMatchObject({
        status: 'failed',
        attempts: 2,
        next_retry_at: null,
        last_error: rescueError('worker-2'),
      });
    });

    it('rescues only running tasks whose lease expired, and leaves every other row exactly as it was', async () => {
      const [expiredA, expiredB, live] = await addAndClaim({ count: 3, workerId: 'worker-1', leaseMs: 60_000 });
      const [otherWorkerExpired] = await addAndClaim({ workerId: 'worker-2' });
      const [completed, failedRetrying, failedForGood, released] = await addAndClaim({ count: 4, workerId: 'worker-3' });
      await completeTasks(db.pool, { workerId: 'worker-3', tasks: [{ id: completed!.id, attempt: 1 }] });
      await failTask(db.pool, { id: failedRetrying!.id, attempt: 1, workerId: 'worker-3', error: 'e', retryDelayMs: 60_000 });
      await failTask(db.pool, {
        id: failedForGood!.id,
        attempt: 1,
        workerId: 'worker-3',
        error: 'e',
        retryDelayMs: 0,
        retryable: false,
      });
      await releaseTasks(db.pool, { workerId: 'worker-3', tasks: [{ id: released!.id, attempt: 1 }] });
      const cancelled = await add();
      await cancelTask(db.pool, cancelled.id);
      await add({ name: 'pending-never-claimed' });
      await expireLeases([expiredA!.id, expiredB!.id, otherWorkerExpired!.id]);
      const expiredIds = new Set([expiredA!.id, expiredB!.id, otherWorkerExpired!.id]);
      const untouchedBefore = (await allRows()).filter((row) => !expiredIds.has(row.id));
      expect(untouchedBefore).toHaveLength(7);

      const rescued = await rescueExpiredTasks(db.pool);

      expect(rescued.map((r) => r.id).sort()).toEqual([...expiredIds].sort());
      expect(rescued.find((r) => r.id === otherWorkerExpired!.id)!.lost_by).toBe('worker-2');
      expect(rescued.find((r) => r.id === expiredA!.id)!.lost_by).toBe('worker-1');
      const untouchedAfter = (await allRows()).filter((row) => !expiredIds.has(row.id));
      expect(untouchedAfter).toEqual(untouchedBefore);
      expect(await getTask(db.pool, live!.id)).toMatchObject({ status: 'running', locked_by: 'worker-1' });
      // A second pass finds nothing more.
      expect(await rescueExpiredTasks(db.pool)).toEqual([]);
    });

    it('takes at most `limit` tasks per call, the longest-expired first', async () => {
      const tasks = await addAndClaim({ count: 5 });
      // tasks[i] expired (5 - i) minutes ago: tasks[0] the longest.
      for (const [i, task] of tasks.entries()) await expireLeases([task.id], (5 - i) * 60_000);
      const first = await rescueExpiredTasks(db.pool, { limit: 2 });
      expect(first.map((r) => r.id).sort()).toEqual([tasks[0]!.id, tasks[1]!.id].sort());
      const rest = await rescueExpiredTasks(db.pool, { limit: 10 });
      expect(rest.map((r) => r.id).sort()).toEqual(tasks.slice(2).map((t) => t.id).sort());
    });

    it('rescues each of 200 expired tasks exactly once when 5 connections rescue at the same time', async () => {
      for (let round = 0; round < 5; round += 1) {
        await db.pool.query('truncate tasks');
        await db.pool.query(
          `insert into tasks (task_name, status, attempts, max_retries, locked_by, locked_at, started_at, lease_expires_at)
           select 'job', 'running', 1, 3, 'dead-' || (g % 7), now() - interval '1 minute', now() - interval '1 minute',
                  now() - (g * interval '1 millisecond') - interval '1 second'
             from generate_series(1, 200) g`,
        );
        const clients = await Promise.all(Array.from({ length: 5 }, () => db.pool.connect()));
        try {
          const results = await Promise.all(clients.map((client) => rescueExpiredTasks(client)));
          const ids = results.flat().map((r) => r.id);
          expect(ids).toHaveLength(200);
          expect(new Set(ids).size).toBe(200);
        } finally {
          for (const client of clients) client.release();
        }
        const { rows: summary } = await db.pool.query<{ status: string; attempts: number; rescue_error: boolean; n: number }>(
          `select status, attempts, last_error like 'lease expired: worker dead-_ stopped heartbeating' as rescue_error,
                  count(*)::int as n
             from tasks group by 1, 2, 3`,
        );
        expect(summary).toEqual([{ status: 'failed', attempts: 1, rescue_error: true, n: 200 }]);
      }
    });

    it('never overwrites a completion it races with: each task ends completed or rescued, never both', async () => {
      const rounds = 25;
      const perRound = 12;
      let completions = 0;
      let rescues = 0;
      for (let round = 0; round < rounds; round += 1) {
        await db.pool.query('truncate tasks');
        const tasks = await addAndClaim({ count: perRound, maxRetries: 0 });
        await expireLeases(tasks.map((t) => t.id));

        // Each task's completion races three rescues, all on their own connections.
        const [completedIds, ...rescueResults] = await Promise.all([
          Promise.all(
            tasks.map((t) =>
              completeTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: t.id, attempt: 1, resultJson: '{"ok":true}' }] }),
            ),
          ).then((lists) => lists.flat()),
          rescueExpiredTasks(db.pool),
          rescueExpiredTasks(db.pool),
          rescueExpiredTasks(db.pool),
        ]);
        const rescuedIds = rescueResults.flat().map((r) => r.id);

        expect(new Set(rescuedIds).size).toBe(rescuedIds.length);
        expect(completedIds.filter((id) => rescuedIds.includes(id))).toEqual([]);
        expect([...completedIds, ...rescuedIds].sort()).toEqual(tasks.map((t) => t.id).sort());
        for (const task of tasks) {
          const row = await getTask(db.pool, task.id);
          if (completedIds.includes(task.id)) {
            expect(row).toMatchObject({ status: 'completed', last_error: null, result: { ok: true }, attempts: 1 });
          } else {
            expect(row).toMatchObject({
              status: 'failed',
              last_error: rescueError('worker-1'),
              result: null,
              attempts: 1,
              next_retry_at: null,
            });
          }
        }
        completions += completedIds.length;
        rescues += rescuedIds.length;
      }
      expect(completions + rescues).toBe(rounds * perRound);
    });
  });

  describe('fencing after a rescue', () => {
    it("ignores every write of worker A's lost attempt once worker B runs the task, and lets B finish", async () => {
      const [task] = await addAndClaim({ workerId: 'worker-a', maxRetries: 3 });
      const a = { id: task!.id, attempt: 1 };
      await expireLeases([task!.id]);
      expect((await rescueExpiredTasks(db.pool)).map((r) => r.id)).toEqual([task!.id]);
      const [retry] = await claim('worker-b', { leaseMs: 60_000 });
      expect(retry).toMatchObject({ id: task!.id, attempts: 2, locked_by: 'worker-b', status: 'running' });
      const heldByB = await getTask(db.pool, task!.id);

      // Worker A wakes up still believing it runs attempt 1.
      expect(await completeTasks(db.pool, { workerId: 'worker-a', tasks: [{ ...a, resultJson: '"from a"' }] })).toEqual([]);
      expect(await failTask(db.pool, { ...a, workerId: 'worker-a', error: 'late failure', retryDelayMs: 0 })).toBeNull();
      expect(
        await failTask(db.pool, { ...a, workerId: 'worker-a', error: 'late failure', retryDelayMs: 0, retryable: false }),
      ).toBeNull();
      expect(await renewLeases(db.pool, { workerId: 'worker-a', leaseMs: 600_000, tasks: [a] })).toEqual([]);
      expect(await releaseTasks(db.pool, { workerId: 'worker-a', tasks: [a] })).toEqual([]);
      // Nor may A write attempt 2 under its own name, or B's attempt 1.
      const a2 = { id: task!.id, attempt: 2 };
      expect(await completeTasks(db.pool, { workerId: 'worker-a', tasks: [a2] })).toEqual([]);
      expect(await renewLeases(db.pool, { workerId: 'worker-a', leaseMs: 600_000, tasks: [a2] })).toEqual([]);
      expect(await releaseTasks(db.pool, { workerId: 'worker-a', tasks: [a2] })).toEqual([]);
      expect(await failTask(db.pool, { ...a2, workerId: 'worker-a', error: 'late', retryDelayMs: 0 })).toBeNull();
      expect(await completeTasks(db.pool, { workerId: 'worker-b', tasks: [a] })).toEqual([]);
      expect(await getTask(db.pool, task!.id)).toEqual(heldByB);
      // B's lease is not due for a minute, so no rescue takes it from B either.
      expect(await rescueExpiredTasks(db.pool)).toEqual([]);

      expect(
        await renewLeases(db.pool, { workerId: 'worker-b', leaseMs: 60_000, tasks: [{ id: task!.id, attempt: 2 }] }),
      ).toEqual([task!.id]);
      expect(
        await completeTasks(db.pool, { workerId: 'worker-b', tasks: [{ id: task!.id, attempt: 2, resultJson: '"from b"' }] }),
      ).toEqual([task!.id]);
      const row = await getTask(db.pool, task!.id);
      expect(row).toMatchObject({
        status: 'completed',
        attempts: 2,
        result: 'from b',
        last_error: null,
        locked_by: null,
        lease_expires_at: null,
      });
      expect(row.finished_at).toBeInstanceOf(Date);
    });
  });

  describe('releaseTasks', () => {
    it('returns the task to pending, due now, with the attempt given back, lease cleared and last_error kept', async () => {
      const [task] = await addAndClaim({ maxRetries: 3 });
      // As if an earlier attempt had failed and this is its retry.
      await db.pool.query(`update tasks set last_error = 'from an earlier attempt' where id = $1`, [task!.id]);

      const released = await releaseTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: task!.id, attempt: 1 }] });

      expect(released).toEqual([task!.id]);
      const row = await getTask(db.pool, task!.id);
      expect(row).toMatchObject({
        status: 'pending',
        attempts: 0,
        last_error: 'from an earlier attempt',
        next_retry_at: null,
        locked_by: null,
        locked_at: null,
        lease_expires_at: null,
        finished_at: null,
      });
      expect(row.scheduled_at).toEqual(row.updated_at);
      const sinceDue = await msFromDbNow(row.scheduled_at);
      expect(sinceDue).toBeLessThanOrEqual(0);
      expect(sinceDue).toBeGreaterThan(-CLOCK_TOLERANCE_MS);

      // Due at once, and the next claim is attempt 1 again.
      const [again] = await claim('worker-2');
      expect(again).toMatchObject({ id: task!.id, attempts: 1, locked_by: 'worker-2' });
    });

    it('gives back only the attempt it held: a released retry goes back to the attempts used before it', async () => {
      const [task] = await addAndClaim({ maxRetries: 3 });
      await failTask(db.pool, { id: task!.id, attempt: 1, workerId: 'worker-1', error: 'first failed', retryDelayMs: 0 });
      const [retry] = await claim();
      expect(retry!.attempts).toBe(2);
      expect(await releaseTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: task!.id, attempt: 2 }] })).toEqual([
        task!.id,
      ]);
      expect(await getTask(db.pool, task!.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        last_error: 'first failed',
        next_retry_at: null,
      });
    });

    it('is fenced: wrong worker, wrong attempt, or a task no longer running is not released and not changed', async () => {
      const [running] = await addAndClaim();
      const [completed] = await addAndClaim();
      await completeTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: completed!.id, attempt: 1 }] });
      const pending = await add();
      const before = await allRows();

      expect(await releaseTasks(db.pool, { workerId: 'intruder', tasks: [{ id: running!.id, attempt: 1 }] })).toEqual([]);
      for (const attempt of [0, 2]) {
        expect(await releaseTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: running!.id, attempt }] })).toEqual([]);
      }
      expect(
        await releaseTasks(db.pool, {
          workerId: 'worker-1',
          tasks: [
            { id: completed!.id, attempt: 1 },
            { id: pending.id, attempt: 0 },
            { id: UNKNOWN_ID, attempt: 1 },
          ],
        }),
      ).toEqual([]);
      expect(await releaseTasks(db.pool, { workerId: 'worker-1', tasks: [] })).toEqual([]);
      expect(await allRows()).toEqual(before);
    });

    it('releases a batch in one call and returns the ids released', async () => {
      const tasks = await addAndClaim({ count: 4 });
      const released = await releaseTasks(db.pool, {
        workerId: 'worker-1',
        tasks: tasks.map((t) => ({ id: t.id, attempt: t.attempts })),
      });
      expect(released.sort()).toEqual(tasks.map((t) => t.id).sort());
      const { rows } = await db.pool.query<{ n: number }>(
        `select count(*)::int as n from tasks where status = 'pending' and attempts = 0 and lease_expires_at is null`,
      );
      expect(rows[0]!.n).toBe(4);
    });
  });
});
