import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { InvalidQueryError } from '../errors.js';
import { getTask } from './get-task.js';
import { listTasks, type ListOrder, type ListTasksQuery } from './list-tasks.js';
import type { TaskStatus } from '@taskforge/model';
import { encodeTaskCursor } from './task-cursor.js';

describe('listTasks', () => {
  const db = useTestDatabase({ truncateEach: true });

  interface Row {
    name?: string;
    status?: TaskStatus;
    /** SQL expression for created_at; now() when omitted. */
    created?: string;
    scheduled?: string;
  }

  /** Inserts the rows in one statement (so rows without `created` share one now()); returns their ids in input order. */
  async function insert(rows: Row[]): Promise<string[]> {
    const values = rows.map((row, i) => {
      const status = row.status ?? 'pending';
      const running = status === 'running';
      const finished = ['completed', 'cancelled'].includes(status) || status === 'failed';
      return `(${i}, '${row.name ?? 'job'}', '${status}', ${row.created ?? 'now()'}, ${row.scheduled ?? 'now()'},
               ${running ? `'w', now(), now() + interval '1 minute'` : 'null, null, null'}, ${finished ? 'now()' : 'null'})`;
    });
    // Ids drawn up front, as addTasks does, so rows that are otherwise identical map back to their position.
    const { rows: inserted } = await db.pool.query<{ id: string }>(
      `with input as materialized (
         select gen_random_uuid() as id, v.*
           from (values ${values.join(',\n')})
             as v (position, task_name, status, created_at, scheduled_at, locked_by, locked_at, lease_expires_at, finished_at)
       ),
       inserted as (
         insert into tasks (id, task_name, status, created_at, scheduled_at, max_retries, locked_by, locked_at, lease_expires_at, finished_at)
         select id, task_name, status, created_at::timestamptz, scheduled_at::timestamptz, 0, locked_by,
                locked_at::timestamptz, lease_expires_at::timestamptz, finished_at::timestamptz
           from input
         returning id
       )
       select input.id from input join inserted using (id) order by input.position`,
    );
    expect(inserted).toHaveLength(rows.length);
    return inserted.map((row) => row.id);
  }

  /** Every task id in the listing's order, straight from SQL, as the reference for paging. */
  async function idsInOrder(order: ListOrder, where = 'true'): Promise<string[]> {
    const { rows } = await db.pool.query<{ id: string }>(`select id from tasks where ${where} order by created_at ${order}, id ${order}`);
    return rows.map((row) => row.id);
  }

  /** Follows nextCursor to the end; returns the ids seen and the page sizes. */
  async function pageThrough(query: ListTasksQuery): Promise<{ ids: string[]; sizes: number[] }> {
    const ids: string[] = [];
    const sizes: number[] = [];
    let cursor: string | null = null;
    do {
      const page = await listTasks(db.pool, { ...query, cursor });
      ids.push(...page.tasks.map((task) => task.id));
      sizes.push(page.tasks.length);
      cursor = page.nextCursor;
      expect(sizes.length).toBeLessThan(1_000);
    } while (cursor !== null);
    return { ids, sizes };
  }

  const ids = async (query: ListTasksQuery) => (await listTasks(db.pool, query)).tasks.map((task) => task.id);

  it('returns an empty page with no cursor when there are no tasks, or none match', async () => {
    expect(await listTasks(db.pool)).toEqual({ tasks: [], nextCursor: null });
    await insert([{ name: 'a' }]);
    expect(await listTasks(db.pool, { taskNames: ['b'] })).toEqual({ tasks: [], nextCursor: null });
  });

  it('lists newest first by default, each task exactly as getTask returns it', async () => {
    const [oldest, middle, newest] = await insert([
      { created: `now() - interval '2 hours'` },
      { created: `now() - interval '1 hour'` },
      { created: 'now()' },
    ]);
    const page = await listTasks(db.pool);
    expect(page.tasks.map((task) => task.id)).toEqual([newest, middle, oldest]);
    expect(page.nextCursor).toBeNull();
    for (const task of page.tasks) expect(task).toEqual(await getTask(db.pool, task.id));
    expect(await ids({ order: 'asc' })).toEqual([oldest, middle, newest]);
  });

  it('filters by one status or several', async () => {
    const statuses: TaskStatus[] = ['pending', 'running', 'completed', 'failed', 'cancelled'];
    const byStatus = new Map(statuses.map((status) => [status, [] as string[]]));
    const rows = statuses.flatMap((status) => [{ status }, { status }]);
    (await insert(rows)).forEach((id, i) => byStatus.get(rows[i]!.status)!.push(id));
    for (const status of statuses) {
      expect((await ids({ statuses: [status] })).sort(), status).toEqual(byStatus.get(status)!.sort());
    }
    const several = await listTasks(db.pool, { statuses: ['failed', 'cancelled'] });
    expect(several.tasks.map((task) => task.status).sort()).toEqual(['cancelled', 'cancelled', 'failed', 'failed']);
    expect(await ids({ statuses: [] })).toEqual([]);
  });

  it('filters by one task name or several, matching names exactly', async () => {
    const [a, b, , comma] = await insert([{ name: 'alpha' }, { name: 'beta' }, { name: 'Alpha' }, { name: 'alpha,beta' }]);
    expect(await ids({ taskNames: ['alpha'] })).toEqual([a]);
    expect((await ids({ taskNames: ['alpha', 'beta', 'gamma'] })).sort()).toEqual([a, b].sort());
    expect(await ids({ taskNames: ['alpha,beta'] })).toEqual([comma]);
    expect(await ids({ taskNames: [] })).toEqual([]);
  });

  it('filters created_at: after is inclusive, before exclusive, to the microsecond', async () => {
    const [t1, t2, t3] = await insert([
      { created: `'2030-01-01T00:00:00.000001Z'` },
      { created: `'2030-01-01T00:00:00.000999Z'` },
      { created: `'2030-01-01T00:00:00.001Z'` },
    ]);
    const at = (iso: string) => new Date(iso);
    expect(await ids({ createdAfter: at('2030-01-01T00:00:00.001Z') })).toEqual([t3]);
    expect(await ids({ createdBefore: at('2030-01-01T00:00:00.001Z') })).toEqual([t2, t1]);
    expect(await ids({ createdAfter: at('2030-01-01T00:00:00Z'), createdBefore: at('2030-01-01T00:00:00.001Z'), order: 'asc' })).toEqual([
      t1,
      t2,
    ]);
    expect(await ids({ createdAfter: at('2030-01-01T00:00:00.002Z') })).toEqual([]);
    expect(await ids({ createdAfter: at('2030-01-02T00:00:00Z'), createdBefore: at('2030-01-01T00:00:00Z') })).toEqual([]);
  });

  it('filters scheduled_at: after is inclusive, before exclusive', async () => {
    const [early, due, late] = await insert([
      { scheduled: `'2030-01-01T00:00:00Z'`, created: `now() - interval '3 seconds'` },
      { scheduled: `'2030-01-02T00:00:00Z'`, created: `now() - interval '2 seconds'` },
      { scheduled: `'2030-01-03T00:00:00Z'`, created: `now() - interval '1 second'` },
    ]);
    expect(await ids({ scheduledAfter: new Date('2030-01-02T00:00:00Z') })).toEqual([late, due]);
    expect(await ids({ scheduledBefore: new Date('2030-01-02T00:00:00Z') })).toEqual([early]);
    expect(await ids({ scheduledAfter: new Date('2030-01-01T00:00:00Z'), scheduledBefore: new Date('2030-01-03T00:00:00Z') })).toEqual([
      due,
      early,
    ]);
  });

  it('applies every filter together (AND)', async () => {
    const rows: Row[] = [];
    for (const name of ['a', 'b']) {
      for (const status of ['pending', 'failed'] as const) {
        for (const day of [1, 2, 3]) {
          rows.push({ name, status, created: `'2030-01-0${day}T12:00:00Z'`, scheduled: `'2030-02-0${day}T12:00:00Z'` });
        }
      }
    }
    const inserted = await insert(rows);
    const match = await ids({
      statuses: ['failed'],
      taskNames: ['b'],
      createdAfter: new Date('2030-01-02T00:00:00Z'),
      createdBefore: new Date('2030-01-04T00:00:00Z'),
      scheduledAfter: new Date('2030-01-01T00:00:00Z'),
      scheduledBefore: new Date('2030-02-03T00:00:00Z'),
    });
    const expected = rows.findIndex((row) => row.name === 'b' && row.status === 'failed' && row.created!.includes('01-02'));
    expect(match).toEqual([inserted[expected]]);
  });

  describe('paging', () => {
    /**
     * 40 tasks in one statement share one now(); 10 more sit one microsecond apart inside a
     * single millisecond (a JS Date could not tell them apart); 10 are older and 10 newer.
     */
    async function insertTies(): Promise<void> {
      const rows: Row[] = [
        ...Array.from({ length: 40 }, (_, i) => ({ status: i % 3 === 0 ? ('failed' as const) : ('completed' as const) })),
        ...Array.from({ length: 10 }, (_, i) => ({ created: `'2030-01-01T00:00:00.12345${i}Z'`, status: 'failed' as const })),
        ...Array.from({ length: 10 }, (_, i) => ({ created: `now() - interval '${i + 1} minutes'` })),
        ...Array.from({ length: 10 }, (_, i) => ({ created: `'2030-01-01T00:00:00.123456Z'::timestamptz + interval '${i + 1} seconds'` })),
      ];
      await insert(rows);
      const { rows: ties } = await db.pool.query('select count(*)::int as n from tasks group by created_at order by n desc limit 1');
      expect(ties[0].n).toBe(40);
    }

    for (const order of ['desc', 'asc'] as const) {
      it(`returns every task exactly once, in ${order} order, whatever the page size, also among equal created_at`, async () => {
        await insertTies();
        const expected = await idsInOrder(order);
        expect(expected).toHaveLength(70);
        for (const limit of [1, 2, 3, 7, 40, 69, 70, 71, 500]) {
          const { ids: seen, sizes } = await pageThrough({ order, limit });
          expect(seen, `limit ${limit}`).toEqual(expected);
          expect(
            sizes.slice(0, -1).every((size) => size === limit),
            `limit ${limit}`,
          ).toBe(true);
          expect(sizes.length, `limit ${limit}`).toBe(Math.ceil(70 / limit));
        }
      });

      it(`pages through a filtered listing in ${order} order`, async () => {
        await insertTies();
        const expected = await idsInOrder(order, `status = 'failed'`);
        expect(expected.length).toBeGreaterThan(10);
        expect((await pageThrough({ order, limit: 4, statuses: ['failed'] })).ids).toEqual(expected);
      });
    }

    it('gives no cursor on a page that ends exactly at the last task, so there is no empty last page', async () => {
      await insert([{}, {}, {}, {}]);
      const first = await listTasks(db.pool, { limit: 2 });
      expect(first.nextCursor).not.toBeNull();
      const second = await listTasks(db.pool, { limit: 2, cursor: first.nextCursor });
      expect(second.tasks).toHaveLength(2);
      expect(second.nextCursor).toBeNull();
    });

    it('neither repeats nor skips older tasks when new ones arrive between pages (newest first)', async () => {
      await insert(Array.from({ length: 6 }, (_, i) => ({ created: `now() - interval '${i + 1} minutes'` })));
      const expected = await idsInOrder('desc');
      const first = await listTasks(db.pool, { limit: 3 });
      await insert([{}, {}]);
      const second = await listTasks(db.pool, { limit: 3, cursor: first.nextCursor });
      expect([...first.tasks, ...second.tasks].map((task) => task.id)).toEqual(expected);
      expect(second.nextCursor).toBeNull();
    });

    it('takes a cursor for any position, not only one it returned', async () => {
      const [older, newer] = await insert([{ created: `'2030-01-01T00:00:00.000001Z'` }, { created: `'2030-01-01T00:00:00.000002Z'` }]);
      const position = { createdAt: '2030-01-01T00:00:00.000002Z', id: newer!, order: 'desc' as const };
      expect(await ids({ cursor: encodeTaskCursor(position) })).toEqual([older]);
    });
  });

  describe('limit', () => {
    it('defaults to 50 and accepts 1 to 500', async () => {
      await db.pool.query(`insert into tasks (task_name, max_retries) select 'job', 0 from generate_series(1, 501)`);
      expect(await ids({})).toHaveLength(50);
      expect(await ids({ limit: 1 })).toHaveLength(1);
      const full = await listTasks(db.pool, { limit: 500 });
      expect(full.tasks).toHaveLength(500);
      expect(full.nextCursor).not.toBeNull();
    });

    it.each([0, -1, 501, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s, naming limit', async (limit) => {
      const error = await listTasks(db.pool, { limit }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidQueryError);
      expect(error).toMatchObject({ field: 'limit', message: 'limit must be an integer from 1 to 500' });
    });
  });

  describe('cursor', () => {
    async function cursorFor(order: ListOrder): Promise<string> {
      await insert([{}, {}, {}]);
      const page = await listTasks(db.pool, { limit: 1, order });
      return page.nextCursor!;
    }

    const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const valid = { c: '2030-01-01T00:00:00.123456Z', i: '6f1c2a3b-0000-4000-8000-000000000000', o: 'desc' };
    const tampered: [string, string][] = [
      ['not base64url', 'abc+/='],
      ['empty', ''],
      ['not JSON', Buffer.from('hello').toString('base64url')],
      ['JSON but not an object', encode([1, 2])],
      ['null', encode(null)],
      ['a field missing', encode({ c: valid.c, o: 'desc' })],
      ['an extra field', encode({ ...valid, x: 1 })],
      ['milliseconds only', encode({ ...valid, c: '2030-01-01T00:00:00.123Z' })],
      ['no time zone', encode({ ...valid, c: '2030-01-01T00:00:00.123456' })],
      ['a day the month lacks', encode({ ...valid, c: '2030-02-30T00:00:00.123456Z' })],
      ['hour 24', encode({ ...valid, c: '2030-01-01T24:00:00.000000Z' })],
      ['year 0', encode({ ...valid, c: '0000-01-01T00:00:00.000000Z' })],
      ['an id that is not a UUID', encode({ ...valid, i: "1' or '1'='1" })],
      ['an upper-case order', encode({ ...valid, o: 'DESC' })],
      ['an unknown order', encode({ ...valid, o: 'sideways' })],
      ['too long', 'a'.repeat(300)],
    ];
    it.each(tampered)('refuses a cursor with %s, naming cursor', async (_, cursor) => {
      const error = await listTasks(db.pool, { cursor }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(InvalidQueryError);
      expect(error).toMatchObject({ field: 'cursor' });
      expect((error as Error).message).toMatch(/^cursor is not a valid cursor/);
    });

    it('refuses a truncated or edited real cursor', async () => {
      const cursor = await cursorFor('desc');
      await expect(listTasks(db.pool, { cursor: cursor.slice(0, -3) })).rejects.toBeInstanceOf(InvalidQueryError);
      const edited = cursor.slice(0, 10) + (cursor[10] === 'A' ? 'B' : 'A') + cursor.slice(11);
      await expect(listTasks(db.pool, { cursor: edited })).rejects.toMatchObject({ field: 'cursor' });
    });

    it('refuses a cursor made for the other order, saying so', async () => {
      const desc = await cursorFor('desc');
      await expect(listTasks(db.pool, { cursor: desc, order: 'asc' })).rejects.toMatchObject({
        field: 'cursor',
        message: 'cursor was made for order=desc, not order=asc: keep the order while paging',
      });
      await db.pool.query('truncate tasks');
      const asc = await cursorFor('asc');
      await expect(listTasks(db.pool, { cursor: asc })).rejects.toMatchObject({ field: 'cursor' });
      expect(await ids({ cursor: asc, order: 'asc' })).toHaveLength(2);
    });

    it('reads the same position whatever the session time zone', async () => {
      const client = await db.pool.connect();
      try {
        await insert(Array.from({ length: 5 }, (_, i) => ({ created: `'2030-06-01T00:00:00.00000${i}Z'` })));
        const expected = await idsInOrder('desc');
        await client.query(`set time zone 'America/St_Johns'`);
        await client.query(`set datestyle = 'SQL, DMY'`);
        const first = await listTasks(client, { limit: 2 });
        const rest = await listTasks(client, { limit: 3, cursor: first.nextCursor });
        expect([...first.tasks, ...rest.tasks].map((task) => task.id)).toEqual(expected);
      } finally {
        await client.query('reset all');
        client.release();
      }
    });
  });

  it('refuses an unknown order, naming order', async () => {
    await expect(listTasks(db.pool, { order: 'up' as ListOrder })).rejects.toMatchObject({ field: 'order' });
  });
});
