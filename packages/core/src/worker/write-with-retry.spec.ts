import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { writeWithRetry } from './write-with-retry.js';

describe('writeWithRetry', () => {
  const db = useTestDatabase();
  const clients: pg.Client[] = [];
  afterEach(async () => {
    for (const client of clients.splice(0)) await client.end().catch(() => undefined);
  });

  /** True once some session of this database waits for a row lock. */
  async function someoneWaitsForALock(): Promise<boolean> {
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'`,
    );
    return rows[0]!.n > 0;
  }

  it('runs a write again when PostgreSQL rolled it back as a deadlock victim, and throws other errors at once', async () => {
    await db.pool.query('create table deadlock_rows (id int primary key, n int not null default 0)');
    await db.pool.query('insert into deadlock_rows (id) values (1), (2)');
    // The other side of the deadlock: holds row 1, and waits long before checking for deadlocks,
    // so the write, whose check comes after a second, is always the one rolled back.
    const other = new pg.Client({ connectionString: db.url });
    clients.push(other);
    await other.connect();
    await other.query('begin');
    await other.query(`set local deadlock_timeout = '1min'`);
    await other.query('update deadlock_rows set n = n + 1 where id = 1');

    let attempts = 0;
    let otherDone: Promise<unknown> | undefined;
    const write = async () => {
      attempts += 1;
      const client = await db.pool.connect();
      try {
        await client.query('begin');
        await client.query('update deadlock_rows set n = n + 10 where id = 2');
        if (attempts === 1) {
          // Close the cycle: the other waits for row 2 (ours), then we wait for row 1 (its).
          otherDone = other.query('update deadlock_rows set n = n + 1 where id = 2').then(() => other.query('commit'));
          await waitFor('the other transaction to wait for row 2', someoneWaitsForALock);
        }
        await client.query('update deadlock_rows set n = n + 10 where id = 1');
        await client.query('commit');
      } catch (error) {
        await client.query('rollback');
        throw error;
      } finally {
        client.release();
      }
    };

    await writeWithRetry(write, performance.now() + 60_000);
    await otherDone;
    expect(attempts).toBe(2);
    // Both transactions applied once each: the rolled-back attempt left nothing behind.
    const { rows } = await db.pool.query<{ id: number; n: number }>('select id, n from deadlock_rows order by id');
    expect(rows).toEqual([
      { id: 1, n: 11 },
      { id: 2, n: 11 },
    ]);

    let failing = 0;
    const refused = writeWithRetry(async () => {
      failing += 1;
      await db.pool.query('select 1 / 0');
    }, performance.now() + 60_000);
    await expect(refused).rejects.toMatchObject({ code: '22012' });
    expect(failing).toBe(1);
  });
});
