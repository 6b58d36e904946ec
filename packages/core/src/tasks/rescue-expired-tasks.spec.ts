import { describe, expect, it } from 'vitest';
import { useLeaseFixtures } from '../../../../test/support/lease-fixtures.js';
import { cancelTask } from './cancel-task.js';
import { completeTasks } from './complete-tasks.js';
import { failTask } from './fail-task.js';
import { getTask } from './get-task.js';
import { releaseTasks } from './release-tasks.js';
import { renewLeases } from './renew-leases.js';
import { rescueExpiredTasks } from './rescue-expired-tasks.js';

/** How far the DB clock may move between the statement under test and our check of it. */
const CLOCK_TOLERANCE_MS = 5_000;

describe('rescueExpiredTasks and fencing after a rescue', () => {
  const { db, add, claim, addAndClaim, expireLeases, msFromDbNow, allRows, rescueError } = useLeaseFixtures();

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
      expect(rest.map((r) => r.id).sort()).toEqual(
        tasks
          .slice(2)
          .map((t) => t.id)
          .sort(),
      );
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
      expect(await failTask(db.pool, { ...a, workerId: 'worker-a', error: 'late failure', retryDelayMs: 0, retryable: false })).toBeNull();
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

      expect(await renewLeases(db.pool, { workerId: 'worker-b', leaseMs: 60_000, tasks: [{ id: task!.id, attempt: 2 }] })).toEqual([
        task!.id,
      ]);
      expect(await completeTasks(db.pool, { workerId: 'worker-b', tasks: [{ id: task!.id, attempt: 2, resultJson: '"from b"' }] })).toEqual(
        [task!.id],
      );
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
});
