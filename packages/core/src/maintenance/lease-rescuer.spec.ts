import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { handlers } from '../../../../test/support/task-functions.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { FAST_LEASES, useWorkerHarness } from '../../../../test/support/worker-harness.js';
import { getTask } from '../tasks/get-task.js';
import { LeaseRescuer } from './lease-rescuer.js';

describe('LeaseRescuer', () => {
  const { db, startWorker, add, waitUntilStatus, waitUntilFailedForGood } = useWorkerHarness(FAST_LEASES);

  /** Inserts a task as a worker that died mid-run would leave it: running, its lease lapsed. */
  async function insertOrphan(options: { maxRetries: number; workerId?: string; payload?: unknown }): Promise<string> {
    const { rows } = await db.pool.query<{ id: string }>(
      `insert into tasks (task_name, payload, status, attempts, max_retries, locked_by, locked_at, started_at, lease_expires_at)
       values ('job', $1::jsonb, 'running', 1, $2, $3, now() - interval '1 minute', now() - interval '1 minute',
               now() - interval '5 seconds')
       returning id`,
      [JSON.stringify(options.payload ?? null), options.maxRetries, options.workerId ?? 'dead-worker'],
    );
    return rows[0]!.id;
  }

  it("on its own, returns every dead worker's expired tasks to the queue, due again, and reports how many", async () => {
    const orphans = [await insertOrphan({ maxRetries: 1 }), await insertOrphan({ maxRetries: 1, workerId: 'other-dead-worker' })];
    const counts: number[] = [];
    const rescuer = new LeaseRescuer({
      pool: db.pool,
      intervalMs: FAST_LEASES.rescueIntervalMs,
      logger: pino({ level: 'silent' }),
      onRescued: (count) => counts.push(count),
    });
    rescuer.start();
    try {
      await waitFor('both rescued', () => counts.reduce((sum, count) => sum + count, 0) === 2);
    } finally {
      await rescuer.stop();
    }
    for (const id of orphans) {
      const row = await getTask(db.pool, id);
      expect(row).toMatchObject({ status: 'failed', attempts: 1, locked_by: null, lease_expires_at: null });
      expect(row.next_retry_at).toBeInstanceOf(Date);
    }
    expect(counts.every((count) => count > 0)).toBe(true);
  });

  describe('run by every Worker', () => {
    it("returns a dead worker's expired tasks to the queue and runs them to completion as their next attempt", async () => {
      const orphan = await insertOrphan({ maxRetries: 3, payload: { n: 7 } });
      const calls: Array<{ payload: unknown; attempt: number }> = [];
      const worker = startWorker({
        workerId: 'survivor',
        handlers: handlers({
          job: async (payload, _id, { attempt }) => {
            calls.push({ payload, attempt });
            return { handledBy: 'survivor' };
          },
        }),
      });

      const row = await waitUntilStatus(orphan, 'completed');
      expect(row).toMatchObject({
        attempts: 2,
        result: { handledBy: 'survivor' },
        locked_by: null,
        lease_expires_at: null,
        last_error: null,
      });
      expect(calls).toEqual([{ payload: { n: 7 }, attempt: 2 }]);
      await waitFor('counters updated', () => worker.counters.completed === 1);
      expect(worker.counters).toMatchObject({ rescued: 1, completed: 1, leasesLost: 0 });
    });

    it("fails a dead worker's task for good, without running it, when that was its last attempt", async () => {
      const orphan = await insertOrphan({ maxRetries: 0 });
      let runs = 0;
      const worker = startWorker({
        handlers: handlers({
          job: async () => {
            runs += 1;
          },
        }),
      });

      const row = await waitUntilFailedForGood(orphan);
      expect(row).toMatchObject({
        attempts: 1,
        last_error: 'lease expired: worker dead-worker stopped heartbeating',
        locked_by: null,
        lease_expires_at: null,
      });
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(worker.counters.rescued).toBe(1);
      // Proof the worker kept polling: a new task runs, the failed one still has not.
      const fresh = await add('job');
      await waitUntilStatus(fresh.id, 'completed');
      expect(runs).toBe(1);
      expect(await getTask(db.pool, orphan)).toEqual(row);
    });

    it('rescues expired tasks of any name, even ones it has no handler for', async () => {
      const { rows } = await db.pool.query<{ id: string }>(
        `insert into tasks (task_name, status, attempts, max_retries, locked_by, locked_at, lease_expires_at)
         values ('not-mine', 'running', 1, 2, 'dead-worker', now(), now() - interval '1 second') returning id`,
      );
      const worker = startWorker({ handlers: handlers({ job: async () => undefined }) });
      await waitFor('rescued', () => worker.counters.rescued === 1);
      expect(await getTask(db.pool, rows[0]!.id)).toMatchObject({
        status: 'failed',
        attempts: 1,
        last_error: 'lease expired: worker dead-worker stopped heartbeating',
      });
    });
  });
});
