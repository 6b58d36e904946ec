import type { PoolClient } from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { InvalidQueryError } from '../errors.js';
import { getQueueStats } from './queue-stats.js';
import { getThroughputPerMinute, THROUGHPUT_MAX_MINUTES } from './throughput-per-minute.js';

const MINUTE = 60_000;

/** `retrying` is a failed task awaiting its retry (no finished_at); `failed` one that failed for good. */
type State = 'completed' | 'failed' | 'cancelled' | 'retrying' | 'pending';

describe('getThroughputPerMinute', () => {
  const db = useTestDatabase({ truncateEach: true });

  /**
   * Runs `work` in a transaction that is rolled back: now() is the same instant for the rows it
   * writes and the figures it reads, so which window a row falls in does not depend on timing.
   */
  async function inOneInstant(work: (client: PoolClient) => Promise<void>): Promise<void> {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await work(client);
    } finally {
      await client.query('rollback');
      client.release();
    }
  }

  async function insert(client: PoolClient, state: State, finishedAgoMs: number | null, count = 1): Promise<void> {
    await client.query(
      `insert into tasks (task_name, status, max_retries, next_retry_at, finished_at)
       select 'alpha', $1, 3, case when $2 then now() + interval '1 hour' end, now() - $3::float8 * interval '1 ms'
         from generate_series(1, $4::int)`,
      [state === 'retrying' ? 'failed' : state, state === 'retrying', finishedAgoMs, count],
    );
  }

  it('answers one zero entry per minute, oldest first, the last window ending now', async () => {
    await inOneInstant(async (client) => {
      const { rows } = await client.query<{ now: Date }>('select now()');
      const now = rows[0]!.now.getTime();
      const minutes = await getThroughputPerMinute(client, { minutes: 60 });
      expect(minutes).toHaveLength(60);
      expect(minutes.every((entry) => entry.completed === 0 && entry.failed === 0)).toBe(true);
      expect(minutes.map((entry) => now - entry.minute.getTime())).toEqual(Array.from({ length: 60 }, (_, i) => (60 - i) * MINUTE));
    });
  });

  it('counts completed and failed-for-good tasks in the minute they finished; not retries, cancellations or older ones', async () => {
    await inOneInstant(async (client) => {
      await insert(client, 'completed', 10_000, 3);
      await insert(client, 'failed', 20_000);
      await insert(client, 'completed', 90_000, 2);
      await insert(client, 'failed', 59 * MINUTE + 30_000, 4);
      await insert(client, 'completed', 61 * MINUTE);
      await insert(client, 'cancelled', 10_000);
      await insert(client, 'retrying', null);
      await insert(client, 'pending', null);

      const minutes = await getThroughputPerMinute(client, { minutes: 60 });
      const nonZero = minutes.flatMap(({ completed, failed }, i) => (completed || failed ? [{ i, completed, failed }] : []));
      expect(nonZero).toEqual([
        { i: 0, completed: 0, failed: 4 },
        { i: 58, completed: 2, failed: 0 },
        { i: 59, completed: 3, failed: 1 },
      ]);
    });
  });

  it('adds up, over 60 minutes, to the last hour that /monitor/stats reports', async () => {
    await inOneInstant(async (client) => {
      for (const agoMs of [1_000, 5 * MINUTE, 30 * MINUTE, 59 * MINUTE, 60 * MINUTE - 1, 60 * MINUTE, 2 * 60 * MINUTE]) {
        await insert(client, 'completed', agoMs, 2);
        await insert(client, 'failed', agoMs);
      }
      const minutes = await getThroughputPerMinute(client, { minutes: 60 });
      const sum = (key: 'completed' | 'failed') => minutes.reduce((total, entry) => total + entry[key], 0);
      const { last_hour } = (await getQueueStats(client)).throughput;
      expect({ completed: sum('completed'), failed: sum('failed') }).toEqual(last_hour);
      expect(last_hour).toEqual({ completed: 10, failed: 5 });
    });
  });

  it(`serves from 1 to ${THROUGHPUT_MAX_MINUTES} minutes`, async () => {
    await inOneInstant(async (client) => {
      await insert(client, 'completed', THROUGHPUT_MAX_MINUTES * MINUTE - 30_000);
      const day = await getThroughputPerMinute(client, { minutes: THROUGHPUT_MAX_MINUTES });
      expect(day).toHaveLength(THROUGHPUT_MAX_MINUTES);
      expect(day[0]).toMatchObject({ completed: 1, failed: 0 });
      expect(await getThroughputPerMinute(client, { minutes: 1 })).toEqual([{ minute: expect.any(Date), completed: 0, failed: 0 }]);
    });
  });

  it.each([0, -1, 1.5, THROUGHPUT_MAX_MINUTES + 1, Number.NaN])('refuses %s minutes, naming the field', async (minutes) => {
    const refusal = getThroughputPerMinute(db.pool, { minutes });
    await expect(refusal).rejects.toThrow(InvalidQueryError);
    await expect(refusal).rejects.toThrow(`minutes must be an integer from 1 to ${THROUGHPUT_MAX_MINUTES}`);
  });
});
