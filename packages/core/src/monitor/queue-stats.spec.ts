import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { getQueueStats } from './queue-stats.js';
import { LIVE_ROWS_SQL } from './queue-stats-query.js';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const ZERO = { pending: 0, running: 0, completed: 0, failed: 0, cancelled: 0, failed_awaiting_retry: 0, failed_permanently: 0, total: 0 };

/** `retrying` is a failed task awaiting its retry; `failed` one that failed for good. */
type State = 'pending' | 'running' | 'completed' | 'cancelled' | 'retrying' | 'failed';

interface Rows {
  name: string;
  state: State;
  count?: number;
  /** scheduled_at this long before now (negative: in the future); default 0. */
  scheduledAgoMs?: number;
  /** finished_at this long before now, for finished states; default two days. */
  finishedAgoMs?: number;
  /** locked_by, for running tasks. */
  worker?: string;
}

describe('getQueueStats', () => {
  const db = useTestDatabase({ truncateEach: true });

  /** Rows written directly in the given state, so times can be set in the past. */
  async function insert(rows: Rows): Promise<void> {
    const status = rows.state === 'retrying' ? 'failed' : rows.state;
    const finished = ['completed', 'cancelled', 'failed'].includes(rows.state);
    const worker = rows.state === 'running' ? (rows.worker ?? 'spec-worker') : null;
    await db.pool.query(
      `insert into tasks (task_name, status, max_retries, scheduled_at, next_retry_at, finished_at, locked_by, locked_at, lease_expires_at)
       select $1, $2, 3, now() - $3::float8 * interval '1 ms',
              case when $4 then now() - $3::float8 * interval '1 ms' end,
              case when $5 then now() - $6::float8 * interval '1 ms' end,
              $7::text, case when $7::text is not null then now() end, case when $7::text is not null then now() + interval '1 hour' end
         from generate_series(1, $8::int)`,
      [
        rows.name,
        status,
        rows.scheduledAgoMs ?? 0,
        rows.state === 'retrying',
        finished,
        rows.finishedAgoMs ?? 48 * HOUR,
        worker,
        rows.count ?? 1,
      ],
    );
  }

  /** Makes the statistics collector see the rows, so the estimate path can be chosen. */
  async function analyze(): Promise<void> {
    await db.pool.query('analyze tasks');
    await waitFor('the statistics to count the rows', async () => (await db.pool.query(LIVE_ROWS_SQL)).rows[0].live_rows > 0);
  }

  it('reports zeros, no names, no lag and no workers on an empty queue', async () => {
    const stats = await getQueueStats(db.pool);
    expect(stats).toMatchObject({
      ...ZERO,
      counts: 'exact',
      by_task_name: {},
      queue_lag_ms: 0,
      running_by_worker: {},
      throughput: { last_minute: { completed: 0, failed: 0 }, last_hour: { completed: 0, failed: 0 } },
      vacuum_horizon: { oldest_transaction: null, prepared_transactions: 0, replication_slots_holding_xmin: 0 },
    });
  });

  it('counts every status overall and per task name, zeros included', async () => {
    await insert({ name: 'alpha', state: 'pending', count: 3 });
    await insert({ name: 'alpha', state: 'running', count: 2 });
    await insert({ name: 'alpha', state: 'completed', count: 4 });
    await insert({ name: 'alpha', state: 'cancelled' });
    await insert({ name: 'beta', state: 'retrying', count: 2 });
    await insert({ name: 'beta', state: 'failed' });
    await insert({ name: 'beta', state: 'running' });
    await insert({ name: 'beta', state: 'pending', scheduledAgoMs: -HOUR });

    const stats = await getQueueStats(db.pool);
    expect(stats.counts).toBe('exact');
    expect(stats).toMatchObject({
      pending: 4,
      running: 3,
      completed: 4,
      failed: 3,
      cancelled: 1,
      failed_awaiting_retry: 2,
      failed_permanently: 1,
      total: 15,
    });
    expect(stats.by_task_name).toEqual({
      alpha: { ...ZERO, pending: 3, running: 2, completed: 4, cancelled: 1, total: 10 },
      beta: { ...ZERO, pending: 1, running: 1, failed: 3, failed_awaiting_retry: 2, failed_permanently: 1, total: 5 },
    });
  });

  it('measures queue lag from the oldest due unclaimed task, pending or awaiting a retry', async () => {
    await insert({ name: 'alpha', state: 'pending', scheduledAgoMs: 2 * MINUTE });
    await insert({ name: 'alpha', state: 'pending', scheduledAgoMs: -HOUR });
    // Claimed, finished or not yet due: none of these is waiting.
    await insert({ name: 'alpha', state: 'running', scheduledAgoMs: 3 * HOUR });
    await insert({ name: 'alpha', state: 'completed', scheduledAgoMs: 3 * HOUR });
    await insert({ name: 'alpha', state: 'failed', scheduledAgoMs: 3 * HOUR });
    const pendingOnly = (await getQueueStats(db.pool)).queue_lag_ms;
    expect(pendingOnly).toBeGreaterThanOrEqual(2 * MINUTE);
    expect(pendingOnly).toBeLessThan(3 * MINUTE);

    await insert({ name: 'beta', state: 'retrying', scheduledAgoMs: 10 * MINUTE });
    const withRetry = (await getQueueStats(db.pool)).queue_lag_ms;
    expect(withRetry).toBeGreaterThanOrEqual(10 * MINUTE);
    expect(withRetry).toBeLessThan(11 * MINUTE);
  });

  it('counts tasks held per worker', async () => {
    await insert({ name: 'alpha', state: 'running', count: 3, worker: 'worker-a' });
    await insert({ name: 'beta', state: 'running', worker: 'worker-a' });
    await insert({ name: 'beta', state: 'running', count: 2, worker: 'worker-b' });
    await insert({ name: 'beta', state: 'pending', count: 5 });
    expect((await getQueueStats(db.pool)).running_by_worker).toEqual({ 'worker-a': 4, 'worker-b': 2 });
  });

  it('counts throughput: completed and failed-for-good tasks finished in the last minute and hour', async () => {
    await insert({ name: 'alpha', state: 'completed', count: 3, finishedAgoMs: 10_000 });
    await insert({ name: 'alpha', state: 'completed', count: 2, finishedAgoMs: 10 * MINUTE });
    await insert({ name: 'alpha', state: 'completed', count: 5, finishedAgoMs: 2 * HOUR });
    await insert({ name: 'beta', state: 'failed', finishedAgoMs: 30_000 });
    await insert({ name: 'beta', state: 'failed', count: 4, finishedAgoMs: 30 * MINUTE });
    // Neither finished work: a cancellation, and a failure that will be retried.
    await insert({ name: 'beta', state: 'cancelled', finishedAgoMs: 10_000 });
    await insert({ name: 'beta', state: 'retrying' });

    expect((await getQueueStats(db.pool)).throughput).toEqual({
      last_minute: { completed: 3, failed: 1 },
      last_hour: { completed: 5, failed: 5 },
    });
  });

  it("reports the table's health from pg_stat_user_tables, with vacuum and analyze times once they ran", async () => {
    await insert({ name: 'alpha', state: 'completed', count: 50 });
    await db.pool.query('delete from tasks where ctid in (select ctid from tasks limit 20)');
    const before = (await getQueueStats(db.pool)).table;
    expect(before).toEqual({
      n_live_tup: expect.any(Number),
      n_dead_tup: expect.any(Number),
      last_vacuum: null,
      last_autovacuum: null,
      last_analyze: null,
      last_autoanalyze: null,
      total_bytes: expect.any(Number),
      autovacuum_enabled: expect.any(Boolean),
    });
    expect(before.total_bytes).toBeGreaterThan(0);

    await db.pool.query('vacuum analyze tasks');
    const after = await waitFor('vacuum and analyze to show', async () => {
      const { table } = await getQueueStats(db.pool);
      return table.last_vacuum && table.last_analyze && table;
    });
    expect(after.last_vacuum).toBeInstanceOf(Date);
    expect(after.last_analyze).toBeInstanceOf(Date);
    expect(after.n_live_tup).toBe(30);
    expect(after.n_dead_tup).toBe(0);
  });

  it("says whether autovacuum may vacuum the table: the server-wide switch, then the table's own", async () => {
    const { rows } = await db.pool.query<{ on: boolean }>("select current_setting('autovacuum') = 'on' as on");
    const serverWide = rows[0]!.on;
    expect((await getQueueStats(db.pool)).table.autovacuum_enabled).toBe(serverWide);
    await db.pool.query('alter table tasks set (autovacuum_enabled = false)');
    try {
      expect((await getQueueStats(db.pool)).table.autovacuum_enabled).toBe(false);
    } finally {
      await db.pool.query('alter table tasks reset (autovacuum_enabled)');
    }
    expect((await getQueueStats(db.pool)).table.autovacuum_enabled).toBe(serverWide);
  });

  describe('the vacuum horizon', () => {
    async function withSession(applicationName: string, work: (client: pg.Client, pid: number) => Promise<void>): Promise<void> {
      const client = new pg.Client({ connectionString: db.url, application_name: applicationName });
      await client.connect();
      try {
        const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
        await work(client, rows[0]!.pid);
      } finally {
        await client.end();
      }
    }

    it('shows a session idle in a transaction holding a snapshot as the oldest one', async () => {
      await withSession('queue-stats-spec-snapshot', async (client, pid) => {
        await client.query('begin isolation level repeatable read');
        await client.query('select count(*) from tasks');
        const { oldest_transaction } = (await getQueueStats(db.pool)).vacuum_horizon;
        expect(oldest_transaction).toEqual({
          pid,
          state: 'idle in transaction',
          application_name: 'queue-stats-spec-snapshot',
          age_seconds: expect.any(Number),
        });
        expect(oldest_transaction!.age_seconds).toBeGreaterThanOrEqual(0);
        await client.query('commit');
        expect((await getQueueStats(db.pool)).vacuum_horizon.oldest_transaction).toBeNull();
      });
    });

    it('shows a session idle in a transaction that wrote (it holds a transaction id, not a snapshot)', async () => {
      await withSession('queue-stats-spec-writer', async (client, pid) => {
        await client.query('begin');
        await client.query(`insert into tasks (task_name, max_retries) values ('alpha', 0)`);
        const { oldest_transaction } = (await getQueueStats(db.pool)).vacuum_horizon;
        expect(oldest_transaction).toMatchObject({ pid, state: 'idle in transaction', application_name: 'queue-stats-spec-writer' });
        await client.query('rollback');
      });
    });
  });

  describe('above the exact-count limit', () => {
    it('estimates finished tasks from a sample (all pages of a small table: the same figures) and says so', async () => {
      await insert({ name: 'alpha', state: 'pending', count: 5 });
      await insert({ name: 'alpha', state: 'completed', count: 300 });
      await insert({ name: 'beta', state: 'failed', count: 7 });
      await insert({ name: 'beta', state: 'cancelled', count: 2 });
      await analyze();
      const exact = await getQueueStats(db.pool);
      const estimated = await getQueueStats(db.pool, { exactCountLimit: 0 });
      expect(exact.counts).toBe('exact');
      expect(estimated.counts).toBe('estimated');
      expect(estimated.by_task_name).toEqual(exact.by_task_name);
      expect(estimated.total).toBe(314);
    });

    it('keeps queued and running tasks exact while finished ones come from a sample of pages', async () => {
      await insert({ name: 'alpha', state: 'pending', count: 7 });
      await insert({ name: 'alpha', state: 'running', count: 3 });
      await insert({ name: 'alpha', state: 'retrying', count: 2 });
      await insert({ name: 'alpha', state: 'completed', count: 20_000 });
      await analyze();
      const stats = await getQueueStats(db.pool, { exactCountLimit: 0, sampleRows: 2_000 });
      expect(stats.counts).toBe('estimated');
      expect(stats).toMatchObject({ pending: 7, running: 3, failed_awaiting_retry: 2 });
      // A sample of ~10 % of the pages: near 20,000, not exact.
      expect(stats.completed).toBeGreaterThan(10_000);
      expect(stats.completed).toBeLessThan(30_000);
    });
  });
});
