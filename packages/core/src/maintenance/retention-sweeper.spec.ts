import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import type { Pool } from '../index.js';
import { RETENTION_LOCK_KEY, RetentionSweeper, type RetentionSweeperOptions } from './retention-sweeper.js';

const DAY_MS = 86_400_000;
const silent = pino({ level: 'silent' });

describe('RetentionSweeper', () => {
  const db = useTestDatabase({ truncateEach: true });

  /** `count` tasks named `name` in `status`, finished `agoDays` ago (null: unfinished). */
  async function insert(name: string, status: string, agoDays: number | null, count = 1): Promise<void> {
    await db.pool.query(
      `insert into tasks (task_name, status, max_retries, finished_at, next_retry_at, locked_by, lease_expires_at)
       select $1, $2, 0, now() - $3::float8 * interval '1 day' - i * interval '1 second',
              case when $2 = 'failed' and $3::float8 is null then now() end,
              case when $2 = 'running' then 'w' end,
              case when $2 = 'running' then now() + interval '1 hour' end
         from generate_series(1, $4) as i`,
      [name, status, agoDays, count],
    );
  }

  async function counts(): Promise<Record<string, number>> {
    const { rows } = await db.pool.query<{ task_name: string; n: number }>(
      'select task_name, count(*)::int as n from tasks group by task_name order by task_name',
    );
    return Object.fromEntries(rows.map((row) => [row.task_name, row.n]));
  }

  /** Every kind of task, expired and not, with the default retentions (7 d, 30 d) in mind. */
  async function insertMixed(): Promise<void> {
    await insert('completed-old', 'completed', 8, 3);
    await insert('completed-recent', 'completed', 1, 2);
    await insert('cancelled-old', 'cancelled', 20, 2);
    await insert('cancelled-recent', 'cancelled', 3);
    await insert('failed-final-old', 'failed', 40, 2);
    await insert('failed-final-mid', 'failed', 10);
    await insert('failed-retrying', 'failed', null);
    await insert('pending', 'pending', null, 2);
    await insert('running', 'running', null);
  }

  const KEPT_BY_DEFAULTS = {
    'cancelled-recent': 1,
    'completed-recent': 2,
    'failed-final-mid': 1,
    'failed-retrying': 1,
    pending: 2,
    running: 1,
  };

  /** The test pool, counting checkouts: one per batch transaction. */
  function countingPool(): { pool: Pool; connects: () => number } {
    let connects = 0;
    const pool = Object.create(db.pool) as Pool;
    pool.connect = (() => {
      connects += 1;
      return db.pool.connect();
    }) as Pool['connect'];
    return { pool, connects: () => connects };
  }

  function sweeper(options: Partial<RetentionSweeperOptions> = {}): RetentionSweeper {
    return new RetentionSweeper({
      pool: db.pool,
      completedRetentionMs: 7 * DAY_MS,
      failedRetentionMs: 30 * DAY_MS,
      intervalMs: 60_000,
      logger: silent,
      ...options,
    });
  }

  it('deletes exactly the finished tasks past their retention, per kind, and reports the counts', async () => {
    await insertMixed();
    expect(await sweeper().sweep()).toEqual({ completed: 5, failed: 2, yielded: false });
    expect(await counts()).toEqual(KEPT_BY_DEFAULTS);
  });

  it('keeps completed and cancelled tasks when their retention is off', async () => {
    await insertMixed();
    expect(await sweeper({ completedRetentionMs: null }).sweep()).toEqual({ completed: 0, failed: 2, yielded: false });
    expect(await counts()).toMatchObject({ 'completed-old': 3, 'cancelled-old': 2 });
    expect(await counts()).not.toHaveProperty('failed-final-old');
  });

  it('keeps tasks failed for good when their retention is off', async () => {
    await insertMixed();
    expect(await sweeper({ failedRetentionMs: null }).sweep()).toEqual({ completed: 5, failed: 0, yielded: false });
    expect(await counts()).toMatchObject({ 'failed-final-old': 2 });
  });

  it('with both retentions off, sends nothing to the database', async () => {
    await insertMixed();
    const { pool, connects } = countingPool();
    expect(await sweeper({ pool, completedRetentionMs: null, failedRetentionMs: null }).sweep()).toEqual({
      completed: 0,
      failed: 0,
      yielded: false,
    });
    expect(connects()).toBe(0);
    expect(Object.values(await counts()).reduce((a, b) => a + b)).toBe(15);
  });

  it('works through a backlog in batches of batchSize, each its own transaction, until one comes back short', async () => {
    await insert('completed-old', 'completed', 10, 25);
    await insert('completed-recent', 'completed', 1, 4);
    // Failed tasks kept by their longer retention, in the same finished_at range as the completed ones.
    await insert('failed-final-mid', 'failed', 10, 6);
    await insert('failed-final-old', 'failed', 40, 7);
    const { pool, connects } = countingPool();
    expect(await sweeper({ pool, batchSize: 3 }).sweep()).toEqual({ completed: 25, failed: 7, yielded: false });
    // completed: 8 full batches and a short one (1 task); failed: 2 full and a short one (1 task).
    expect(connects()).toBe(9 + 3);
    expect(await counts()).toEqual({ 'completed-recent': 4, 'failed-final-mid': 6 });
  });

  it('stays out while another session holds the retention lock, and sweeps once it is free', async () => {
    await insertMixed();
    const holder = await db.pool.connect();
    try {
      await holder.query('begin');
      await holder.query('select pg_advisory_xact_lock($1)', [RETENTION_LOCK_KEY]);
      expect(await sweeper().sweep()).toEqual({ completed: 0, failed: 0, yielded: true });
      expect(await counts()).toMatchObject({ 'completed-old': 3, 'failed-final-old': 2 });
      await holder.query('commit');
    } finally {
      holder.release();
    }
    expect(await sweeper().sweep()).toMatchObject({ completed: 5, failed: 2 });
  });

  it('several sweepers at once delete every expired task exactly once between them', async () => {
    await insert('completed-old', 'completed', 10, 300);
    await insert('failed-final-old', 'failed', 40, 40);
    await insert('completed-recent', 'completed', 1, 5);
    const results = await Promise.all(Array.from({ length: 4 }, () => sweeper({ batchSize: 7 }).sweep()));
    // Whoever finds the lock taken stops; whoever holds it carries on to the end.
    expect(results.some((result) => !result.yielded)).toBe(true);
    const sum = (kind: 'completed' | 'failed') => results.reduce((total, result) => total + result[kind], 0);
    expect({ completed: sum('completed'), failed: sum('failed') }).toEqual({ completed: 300, failed: 40 });
    expect(await counts()).toEqual({ 'completed-recent': 5 });
  });

  it('logs the counts at info level when it deleted something, and only at debug level otherwise', async () => {
    const lines: Record<string, unknown>[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
    await insertMixed();
    const running = sweeper({ logger, intervalMs: 10 });
    running.start();
    try {
      await waitFor('a sweep that found nothing', () => lines.some((entry) => entry.msg === 'retention: nothing expired'));
    } finally {
      await running.stop();
    }
    const info = lines.filter((entry) => (entry.level as number) >= 30);
    expect(info).toEqual([
      expect.objectContaining({ level: 30, msg: 'retention: deleted expired finished tasks', completed: 5, failed: 2 }),
    ]);
  });

  it('sweeps again every interval once started', async () => {
    const running = sweeper({ intervalMs: 10 });
    running.start();
    try {
      await insert('completed-old', 'completed', 8, 2);
      await waitFor('the first expired tasks to be deleted', async () => Object.keys(await counts()).length === 0);
      await insert('failed-final-old', 'failed', 40, 2);
      await waitFor('the later expired tasks to be deleted', async () => Object.keys(await counts()).length === 0);
    } finally {
      await running.stop();
    }
  });

  it('on stop, finishes and commits the batch in progress, starts no other, and leaves no transaction open', async () => {
    await insert('completed-old', 'completed', 8, 5);
    const running = sweeper({ intervalMs: 10, batchSize: 1 });
    const blocker = await db.pool.connect();
    try {
      // Holds the table so the sweeper's first DELETE waits, mid-transaction, until we let go.
      await blocker.query('begin');
      await blocker.query('lock table tasks in share mode');
      running.start();
      await waitFor('the sweeper to wait for the table', async () => {
        const { rows } = await db.pool.query(
          `select count(*)::int as n from pg_stat_activity
            where datname = current_database() and wait_event_type = 'Lock' and query like '%doomed%'`,
        );
        return rows[0].n === 1;
      });
      const stopped = running.stop();
      await blocker.query('commit');
      await stopped;
    } finally {
      blocker.release();
    }
    expect(await counts()).toEqual({ 'completed-old': 4 });
    const { rows } = await db.pool.query(
      `select
         (select count(*)::int from pg_stat_activity where datname = current_database() and state like 'idle in transaction%') as open,
         -- This database's advisory locks only: other test files migrate their own databases in
         -- parallel, each under an advisory lock of its own, which must not count here.
         (select count(*)::int from pg_locks
           where locktype = 'advisory' and database = (select oid from pg_database where datname = current_database())) as advisory`,
    );
    expect(rows[0]).toEqual({ open: 0, advisory: 0 });
  });
});
