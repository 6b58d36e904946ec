import { describe, expect, it } from 'vitest';
import { useLeaseFixtures } from '../../../../test/support/lease-fixtures.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { completeTasks } from '../tasks/complete-tasks.js';
import { writeWithRetry } from './write-with-retry.js';

describe('writeWithRetry', () => {
  const { db, addAndClaim } = useLeaseFixtures();

  /** Whether some session of this database is waiting for a row lock right now. */
  async function someoneWaitsForALock(): Promise<boolean> {
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    return rows[0]!.n > 0;
  }

  it('runs a completion again when PostgreSQL cancelled it to break a deadlock, so the task is not left to lapse', async () => {
    const [first, second] = await addAndClaim({ count: 2, workerId: 'w' });
    // The completion visits `first` before `second` whichever index its plan walks: by lease or by id list.
    await db.pool.query(`update tasks set lease_expires_at = now() + interval '1 minute' where id = $1`, [first!.id]);
    await db.pool.query(`update tasks set lease_expires_at = now() + interval '2 minutes' where id = $1`, [second!.id]);
    const other = await db.pool.connect();
    try {
      await other.query('begin');
      await other.query('select 1 from tasks where id = $1 for update', [second!.id]);
      let attempts = 0;
      const completion = writeWithRetry(() => {
        attempts += 1;
        return completeTasks(db.pool, { workerId: 'w', tasks: [first!, second!].map((task) => ({ id: task.id, attempt: 1 })) });
      }, performance.now() + 60_000);
      // The completion holds `first` and waits for `second`; now the other side wants `first`:
      // a cycle, which PostgreSQL breaks after deadlock_timeout by cancelling the one that waited first.
      await waitFor('the completion to wait for the row the other transaction holds', someoneWaitsForALock);
      await other.query('select 1 from tasks where id = $1 for update', [first!.id]);
      await other.query('commit');

      expect((await completion).sort()).toEqual([first!.id, second!.id].sort());
      expect(attempts).toBe(2);
    } finally {
      other.release();
    }
  });

  it('throws at once an error that retrying cannot fix', async () => {
    let attempts = 0;
    const refused = Object.assign(new Error('invalid input syntax for type uuid'), { code: '22P02' });
    await expect(
      writeWithRetry(() => {
        attempts += 1;
        return Promise.reject(refused);
      }, performance.now() + 60_000),
    ).rejects.toBe(refused);
    expect(attempts).toBe(1);
  });
});
