import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import type { Queryable } from '../db/queryable.js';
import { deleteExpiredTasks } from './delete-expired-tasks.js';

const DAY_MS = 86_400_000;

/** A row as retention sees it; finished `agoDays` before now, or unfinished when null. */
interface Row {
  name: string;
  status: 'pending' | 'running' | 'completed' | 'failed' | 'cancelled';
  finishedAgoDays: number | null;
  /** Failed tasks awaiting a retry have one. */
  retryPending?: boolean;
}

/** One of each kind of task, old and recent, so every test sees what retention must leave alone. */
const MIXED: Row[] = [
  { name: 'completed-old', status: 'completed', finishedAgoDays: 8 },
  { name: 'completed-recent', status: 'completed', finishedAgoDays: 1 },
  { name: 'cancelled-old', status: 'cancelled', finishedAgoDays: 9 },
  { name: 'cancelled-recent', status: 'cancelled', finishedAgoDays: 2 },
  { name: 'failed-final-old', status: 'failed', finishedAgoDays: 31 },
  { name: 'failed-final-mid', status: 'failed', finishedAgoDays: 10 },
  { name: 'failed-retrying', status: 'failed', finishedAgoDays: null, retryPending: true },
  { name: 'pending', status: 'pending', finishedAgoDays: null },
  { name: 'running', status: 'running', finishedAgoDays: null },
  // A task put back in the queue by hand that kept an old finished_at: its status protects it.
  { name: 'pending-with-old-finished-at', status: 'pending', finishedAgoDays: 100 },
];

describe('deleteExpiredTasks', () => {
  const db = useTestDatabase({ truncateEach: true });

  async function insertRows(rows: Row[]): Promise<void> {
    await db.pool.query(
      `insert into tasks (task_name, status, max_retries, finished_at, next_retry_at, locked_by, locked_at, lease_expires_at, created_at)
       select r.name, r.status, 1,
              now() - r.ago_days * interval '1 day',
              case when r.retry then now() + interval '1 hour' end,
              case when r.status = 'running' then 'w' end,
              case when r.status = 'running' then now() end,
              case when r.status = 'running' then now() + interval '1 hour' end,
              now() - interval '200 days'
         from unnest($1::text[], $2::text[], $3::float8[], $4::bool[]) as r(name, status, ago_days, retry)`,
      [rows.map((r) => r.name), rows.map((r) => r.status), rows.map((r) => r.finishedAgoDays), rows.map((r) => r.retryPending ?? false)],
    );
  }

  async function remainingNames(): Promise<string[]> {
    const { rows } = await db.pool.query<{ task_name: string }>('select task_name from tasks order by task_name');
    return rows.map((row) => row.task_name);
  }

  const allNames = MIXED.map((row) => row.name).sort();

  it('kind completed deletes completed and cancelled tasks past the retention, and nothing else', async () => {
    await insertRows(MIXED);
    const batch = await deleteExpiredTasks(db.pool, { kind: 'completed', retentionMs: 7 * DAY_MS, limit: 1_000 });
    expect(batch.deleted).toBe(2);
    expect(await remainingNames()).toEqual(allNames.filter((name) => name !== 'completed-old' && name !== 'cancelled-old'));
  });

  it('kind failed deletes only tasks failed for good past the retention, never one awaiting its retry', async () => {
    await insertRows(MIXED);
    const batch = await deleteExpiredTasks(db.pool, { kind: 'failed', retentionMs: 30 * DAY_MS, limit: 1_000 });
    expect(batch.deleted).toBe(1);
    expect(await remainingNames()).toEqual(allNames.filter((name) => name !== 'failed-final-old'));
  });

  it('with a retention of 0 deletes every finished task of the kind, but still no unfinished one', async () => {
    await insertRows(MIXED);
    expect((await deleteExpiredTasks(db.pool, { kind: 'completed', retentionMs: 0, limit: 1_000 })).deleted).toBe(4);
    expect((await deleteExpiredTasks(db.pool, { kind: 'failed', retentionMs: 0, limit: 1_000 })).deleted).toBe(2);
    expect(await remainingNames()).toEqual(['failed-retrying', 'pending', 'pending-with-old-finished-at', 'running']);
  });

  it('deletes at most `limit` tasks, the oldest first, and reports the newest finished_at among them', async () => {
    await insertRows([10, 20, 30, 40, 50].map((days) => ({ name: `c-${days}`, status: 'completed', finishedAgoDays: days })));
    const { rows } = await db.pool.query(`select date_trunc('milliseconds', finished_at) as expected from tasks where task_name = 'c-40'`);
    const batch = await deleteExpiredTasks(db.pool, { kind: 'completed', retentionMs: DAY_MS, limit: 2 });
    expect(batch.deleted).toBe(2);
    expect(await remainingNames()).toEqual(['c-10', 'c-20', 'c-30']);
    expect(batch.lastFinishedAt).toEqual(rows[0].expected);
  });

  it('with finishedFrom, skips tasks that finished before it (the previous batches’ range)', async () => {
    await insertRows([10, 20, 30].map((days) => ({ name: `c-${days}`, status: 'completed', finishedAgoDays: days })));
    const { rows } = await db.pool.query(`select now() - interval '25 days' as from`);
    const batch = await deleteExpiredTasks(db.pool, { kind: 'completed', retentionMs: DAY_MS, limit: 10, finishedFrom: rows[0].from });
    expect(batch.deleted).toBe(2);
    expect(await remainingNames()).toEqual(['c-30']);
  });

  it('returns 0 and no lastFinishedAt when nothing is expired', async () => {
    await insertRows(MIXED);
    expect(await deleteExpiredTasks(db.pool, { kind: 'completed', retentionMs: 365 * DAY_MS, limit: 10 })).toEqual({
      deleted: 0,
      lastFinishedAt: null,
    });
    expect(await remainingNames()).toEqual(allNames);
  });

  it('skips a task another transaction holds locked, and deletes it once that is over', async () => {
    await insertRows([
      { name: 'held', status: 'completed', finishedAgoDays: 10 },
      { name: 'free', status: 'completed', finishedAgoDays: 9 },
    ]);
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`select id from tasks where task_name = 'held' for update`);
      expect((await deleteExpiredTasks(db.pool, { kind: 'completed', retentionMs: DAY_MS, limit: 10 })).deleted).toBe(1);
      await client.query('commit');
    } finally {
      client.release();
    }
    expect(await remainingNames()).toEqual(['held']);
    expect((await deleteExpiredTasks(db.pool, { kind: 'completed', retentionMs: DAY_MS, limit: 10 })).deleted).toBe(1);
    expect(await remainingNames()).toEqual([]);
  });

  it('spares a task that was put back in the queue while it waited for the lock', async () => {
    await insertRows([{ name: 'revived', status: 'failed', finishedAgoDays: 40 }]);
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      await client.query(`update tasks set status = 'pending', finished_at = null where task_name = 'revived'`);
      // The delete is started while the update holds the row; SKIP LOCKED passes it by.
      const deleting = deleteExpiredTasks(db.pool, { kind: 'failed', retentionMs: DAY_MS, limit: 10 });
      await client.query('commit');
      expect((await deleting).deleted).toBe(0);
    } finally {
      client.release();
    }
    expect(await remainingNames()).toEqual(['revived']);
  });

  it('reads the oldest expired tasks off tasks_finished_idx in order, without a sort', async () => {
    await db.pool.query(
      `insert into tasks (task_name, status, max_retries, finished_at)
       select 'bulk', case when i % 10 = 0 then 'cancelled' else 'completed' end, 0, now() - (i % 20000) * interval '1 minute'
         from generate_series(1, 50000) as i`,
    );
    await db.pool.query('analyze tasks');
    let plan: unknown;
    const explaining: Queryable = {
      query: (async (text: string, values: unknown[]) => {
        const { rows } = await db.pool.query(`explain (format json) ${text}`, values);
        plan = rows[0]['QUERY PLAN'][0].Plan;
        return { rows: [{ deleted: 0, last_finished_at: null }] };
      }) as unknown as Queryable['query'],
    };
    await deleteExpiredTasks(explaining, { kind: 'completed', retentionMs: 7 * DAY_MS, limit: 1_000 });
    const nodes: Record<string, unknown>[] = [];
    const walk = (node: Record<string, unknown>) => {
      nodes.push(node);
      for (const child of (node.Plans as Record<string, unknown>[] | undefined) ?? []) walk(child);
    };
    walk(plan as Record<string, unknown>);
    const scans = nodes.filter((node) => node['Relation Name'] === 'tasks' && node['Node Type'] !== 'ModifyTable');
    expect(
      scans.map((node) => node['Index Name']),
      JSON.stringify(plan),
    ).toContain('tasks_finished_idx');
    expect(
      nodes.filter((node) => node['Node Type'] === 'Sort'),
      JSON.stringify(plan),
    ).toEqual([]);
    expect(await db.pool.query(`select count(*)::int as n from tasks`)).toMatchObject({ rows: [{ n: 50_000 }] });
  });
});
