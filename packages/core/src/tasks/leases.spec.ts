import { describe, expect, it } from 'vitest';
import { useLeaseFixtures } from '../../../../test/support/lease-fixtures.js';
import { cancelTask } from './cancel-task.js';
import { DEFAULT_LEASE_MS } from './claim-tasks.js';
import { completeTasks } from './complete-tasks.js';
import { failTask } from './fail-task.js';
import { getTask } from './get-task.js';
import { releaseTasks } from './release-tasks.js';
import { renewLeases } from './renew-leases.js';
import { rescueExpiredTasks } from './rescue-expired-tasks.js';

/** How far the DB clock may move between the statement under test and our check of it. */
const CLOCK_TOLERANCE_MS = 5_000;

const UNKNOWN_ID = '00000000-0000-4000-8000-000000000000';

describe('leases: claim, renewLeases, releaseTasks', () => {
  const { db, add, claim, addAndClaim, expireLeases, msFromDbNow, leaseLengthMs, allRows } = useLeaseFixtures();

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
      expect(await renewLeases(db.pool, { workerId: 'worker-1', leaseMs: 60_000, tasks: [{ id: task!.id, attempt: 1 }] })).toEqual([]);
      expect(await getTask(db.pool, task!.id)).toEqual(before);
    });

    it('does not renew, and does not change, a task on another attempt', async () => {
      const [task] = await addAndClaim();
      const before = await getTask(db.pool, task!.id);
      for (const attempt of [0, 2, 99]) {
        expect(await renewLeases(db.pool, { workerId: 'worker-1', leaseMs: 60_000, tasks: [{ id: task!.id, attempt }] })).toEqual([]);
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
      expect(await renewLeases(db.pool, { workerId: 'worker-1', leaseMs: 60_000, tasks: [{ id: task!.id, attempt: 1 }] })).toEqual([
        task!.id,
      ]);
      expect(await rescueExpiredTasks(db.pool)).toEqual([]);
      expect(await getTask(db.pool, task!.id)).toMatchObject({ status: 'running', locked_by: 'worker-1', attempts: 1 });
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
      expect(await releaseTasks(db.pool, { workerId: 'worker-1', tasks: [{ id: task!.id, attempt: 2 }] })).toEqual([task!.id]);
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
