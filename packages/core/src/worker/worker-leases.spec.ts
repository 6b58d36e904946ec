import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { handlers, untilAborted } from '../../../../test/support/task-functions.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { FAST_LEASES, useWorkerHarness } from '../../../../test/support/worker-harness.js';
import { getTask } from '../tasks/get-task.js';
import { LeaseLostError } from './task-run.js';

const LEASE_MS = FAST_LEASES.leaseMs;

describe('Worker: its own leases', () => {
  const { db, startWorker, heldGate, add, waitUntilStatus } = useWorkerHarness(FAST_LEASES);

  describe('heartbeats', () => {
    it('keeps the leases of handlers running 3× longer than the lease, so they complete on attempt 1 and are never rescued', async () => {
      const tasks = [await add('long'), await add('long'), await add('long')];
      let startedCount = 0;
      const worker = startWorker({
        handlers: handlers({
          long: async () => {
            startedCount += 1;
            await sleep(3 * LEASE_MS);
            return 'survived';
          },
        }),
      });
      // A second worker, serving other names, rescues expired leases all along too.
      const peer = startWorker({ workerId: 'peer-worker', handlers: handlers({ other: async () => undefined }) });

      await waitFor('all three handlers started', () => startedCount === 3);
      const { rows: initial } = await db.pool.query<{ id: string; lease_expires_at: Date }>(`select id, lease_expires_at from tasks`);
      // While they run, the leases keep moving forward and never lapse.
      const latestLease = new Map(initial.map((row) => [row.id, row.lease_expires_at.getTime()]));
      let renewalsSeen = 0;
      await waitFor('all three completed', async () => {
        const { rows } = await db.pool.query<{ id: string; status: string; lease_expires_at: Date | null }>(
          `select id, status, lease_expires_at from tasks`,
        );
        for (const row of rows) {
          if (row.lease_expires_at && row.lease_expires_at.getTime() > latestLease.get(row.id)!) {
            latestLease.set(row.id, row.lease_expires_at.getTime());
            renewalsSeen += 1;
          }
        }
        return rows.every((row) => row.status === 'completed');
      });

      expect(renewalsSeen).toBeGreaterThan(3);
      for (const task of tasks) {
        expect(await getTask(db.pool, task.id)).toMatchObject({
          status: 'completed',
          attempts: 1,
          last_error: null,
          result: 'survived',
          lease_expires_at: null,
        });
      }
      expect(startedCount).toBe(3);
      await waitFor('counters updated', () => worker.counters.completed === 3);
      expect(worker.counters).toEqual({ processed: 3, completed: 3, failed: 0, leasesLost: 0, rescued: 0 });
      expect(peer.counters.rescued).toBe(0);
    });

    it('aborts the handler with a LeaseLostError when the task is taken away behind its back, frees the slot and writes nothing', async () => {
      const task = await add('hold', { maxRetries: 3 });
      let handlerStarted = false;
      let abortReason: unknown;
      const worker = startWorker({
        concurrency: 1,
        handlers: handlers({
          hold: (_payload, _id, { signal }) => {
            handlerStarted = true;
            signal.addEventListener('abort', () => (abortReason = signal.reason), { once: true });
            return untilAborted(signal);
          },
          quick: async () => 'next',
        }),
      });
      await waitFor('handler started', () => handlerStarted);

      // Someone else now holds the task on a later attempt, with a live lease of its own.
      await db.pool.query(
        `update tasks set locked_by = 'someone-else', attempts = attempts + 1, lease_expires_at = now() + interval '1 hour'
          where id = $1`,
        [task.id],
      );
      const takenOver = await getTask(db.pool, task.id);

      await waitFor('handler aborted', () => abortReason !== undefined);
      expect(abortReason).toBeInstanceOf(LeaseLostError);
      expect((abortReason as Error).message).toBe('the heartbeat found the task no longer held by this worker');
      await waitFor('slot freed', () => worker.runningCount === 0);
      expect(worker.counters).toMatchObject({ leasesLost: 1, processed: 0, completed: 0, failed: 0 });

      // The freed slot (concurrency 1) runs the next task; by then any write would have happened.
      const next = await add('quick');
      await waitUntilStatus(next.id, 'completed');
      expect(worker.counters).toMatchObject({ leasesLost: 1, processed: 1, completed: 1, failed: 0 });
      expect(await getTask(db.pool, task.id)).toEqual(takenOver);
    });

    it('frees the slot of a lost task even when its handler ignores the signal', async () => {
      const task = await add('stubborn', { maxRetries: 3 });
      const hang = heldGate();
      let handlerStarted = false;
      let handlerReturned = false;
      let signalSeen: AbortSignal | undefined;
      const worker = startWorker({
        concurrency: 1,
        handlers: handlers({
          stubborn: async (_payload, _id, { signal }) => {
            handlerStarted = true;
            signalSeen = signal;
            await hang.opened;
            handlerReturned = true;
            return 'too late';
          },
          quick: async () => undefined,
        }),
      });
      await waitFor('handler started', () => handlerStarted);
      await db.pool.query(
        `update tasks set locked_by = 'someone-else', attempts = attempts + 1, lease_expires_at = now() + interval '1 hour'
          where id = $1`,
        [task.id],
      );
      const takenOver = await getTask(db.pool, task.id);

      await waitFor('slot freed', () => worker.runningCount === 0);
      expect(signalSeen!.aborted).toBe(true);
      expect(signalSeen!.reason).toBeInstanceOf(LeaseLostError);
      const next = await add('quick');
      await waitUntilStatus(next.id, 'completed');
      expect(handlerReturned).toBe(false);

      // The stubborn handler's late success is dropped.
      hang.open();
      await waitFor('stubborn handler returned', () => handlerReturned);
      const another = await add('quick');
      await waitUntilStatus(another.id, 'completed');
      expect(await getTask(db.pool, task.id)).toEqual(takenOver);
      expect(worker.counters).toMatchObject({ leasesLost: 1, completed: 2, failed: 0 });
    });

    it('aborts its own handler once the local lease deadline passes while the heartbeat cannot get through', async () => {
      const task = await add('hold', { maxRetries: 3 });
      let handlerStarted = false;
      let abortReason: unknown;
      const worker = startWorker({
        handlers: handlers({
          hold: (_payload, _id, { signal }) => {
            handlerStarted = true;
            signal.addEventListener('abort', () => (abortReason = signal.reason), { once: true });
            return untilAborted(signal);
          },
        }),
      });
      await waitFor('handler started', () => handlerStarted);

      // A row lock makes every heartbeat wait: from the worker's side the database stopped answering.
      const locker = await db.pool.connect();
      try {
        await locker.query('begin');
        await locker.query('select id from tasks where id = $1 for update', [task.id]);
        await waitFor('handler aborted', () => abortReason !== undefined);
        expect(abortReason).toBeInstanceOf(LeaseLostError);
        expect((abortReason as Error).message).toBe('lease expired: no heartbeat reached the database in time');
        await waitFor('slot freed', () => worker.runningCount === 0);
        expect(worker.counters).toMatchObject({ leasesLost: 1, processed: 0 });
      } finally {
        await locker.query('rollback').catch(() => undefined);
        locker.release();
      }
    });
  });
});
