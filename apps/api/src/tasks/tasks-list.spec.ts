import { beforeEach, describe, expect, it } from 'vitest';
import { ISO, TASK_FIELDS, expectError, useTasksApi } from '../../test/tasks-api-fixtures.js';

describe('GET /tasks', () => {
  const { api, send, createTask, getTask, taskIn } = useTasksApi();

  beforeEach(async () => {
    await api.db.pool.query('truncate tasks');
  });

  async function list(query = '') {
    const res = await send('GET', `/tasks${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { tasks: Record<string, any>[]; next_cursor: string | null };
  }

  const ids = async (query = '') => (await list(query)).tasks.map((task) => task.id as string);

  /** Inserts tasks straight into the table in one statement, so those without `created` share one now(). */
  async function insert(rows: { name?: string; status?: string; created?: string; scheduled?: string }[]): Promise<void> {
    const values = rows.map(
      (row) => `('${row.name ?? 'job'}', '${row.status ?? 'completed'}', ${row.created ?? 'now()'}, ${row.scheduled ?? 'now()'})`,
    );
    await api.db.pool.query(
      `insert into tasks (task_name, status, created_at, scheduled_at, max_retries, finished_at)
       select name, status, created::timestamptz, scheduled::timestamptz, 0, case when status = 'pending' then null else now() end
         from (values ${values.join(', ')}) as v (name, status, created, scheduled)`,
    );
  }

  async function idsInOrder(order: 'asc' | 'desc'): Promise<string[]> {
    const { rows } = await api.db.pool.query(`select id from tasks order by created_at ${order}, id ${order}`);
    return rows.map((row) => row.id);
  }

  it('answers 200 with no tasks and no cursor on an empty table', async () => {
    expect(await list()).toEqual({ tasks: [], next_cursor: null });
  });

  it('lists newest first, each task as GET /tasks/:id shows it', async () => {
    const first = await createTask({ task_name: 'first' });
    const second = await createTask({ task_name: 'second' });
    const running = await taskIn('running');
    const body = await list();
    expect(body.next_cursor).toBeNull();
    expect(body.tasks.map((task) => task.id)).toEqual([running, second, first]);
    for (const task of body.tasks) {
      expect(Object.keys(task).sort()).toEqual(TASK_FIELDS);
      expect(task.created_at).toMatch(ISO);
      expect(task).toEqual(await getTask(task.id));
    }
    expect(await ids('?order=asc')).toEqual([first, second, running]);
  });

  it('takes several statuses comma-separated, repeated, or both', async () => {
    const pending = await taskIn('pending');
    const failed = await taskIn('failed-for-good');
    const running = await taskIn('running');
    await taskIn('completed');
    await taskIn('cancelled');
    expect(await ids('?status=failed')).toEqual([failed]);
    expect(await ids('?status=pending,failed')).toEqual([failed, pending]);
    expect(await ids('?status=pending&status=failed')).toEqual([failed, pending]);
    expect(await ids('?status=pending,%20failed&status=running&status=pending')).toEqual([running, failed, pending]);
  });

  it('takes several task names by repeating task_name; a comma is part of a name', async () => {
    const a = await createTask({ task_name: 'alpha' });
    const b = await createTask({ task_name: 'beta' });
    const comma = await createTask({ task_name: 'alpha,beta' });
    expect(await ids('?task_name=alpha')).toEqual([a]);
    expect(await ids('?task_name=alpha&task_name=beta')).toEqual([b, a]);
    expect(await ids('?task_name=alpha%2Cbeta')).toEqual([comma]);
    expect(await ids('?task_name=nobody')).toEqual([]);
  });

  it('filters by created and scheduled ranges: after inclusive, before exclusive, any time zone offset', async () => {
    await insert([
      { name: 'old', created: `'2030-01-01T00:00:00Z'`, scheduled: `'2030-03-01T00:00:00Z'` },
      { name: 'mid', created: `'2030-01-02T00:00:00Z'`, scheduled: `'2030-03-02T00:00:00Z'` },
      { name: 'new', created: `'2030-01-03T00:00:00Z'`, scheduled: `'2030-03-03T00:00:00Z'` },
    ]);
    const names = async (query: string) => (await list(query)).tasks.map((task) => task.task_name);
    expect(await names('?created_after=2030-01-02T00:00:00Z')).toEqual(['new', 'mid']);
    expect(await names('?created_before=2030-01-02T00:00:00Z')).toEqual(['old']);
    expect(await names('?created_after=2030-01-02T02:00:00%2B02:00&created_before=2030-01-03T00:00:00.001Z')).toEqual(['new', 'mid']);
    expect(await names('?scheduled_after=2030-03-02T00:00:00Z&scheduled_before=2030-03-03T00:00:00Z')).toEqual(['mid']);
    expect(await names('?created_after=2030-01-02T00:00:00Z&scheduled_before=2030-03-02T00:00:00Z')).toEqual([]);
  });

  it('accepts dates at the ends of the ISO range without failing', async () => {
    await createTask({ task_name: 'now' });
    expect(await ids('?created_after=0000-01-01T00:00:00Z&created_before=9999-12-31T23:59:59.999999999-14:00')).toHaveLength(1);
    expect(await ids('?scheduled_after=9999-12-31T23:59:59Z')).toEqual([]);
    expect(await ids('?scheduled_before=0001-01-01T00:00:00%2B14:00')).toEqual([]);
  });

  it('combines filters with order and limit', async () => {
    await insert([
      { name: 'a', status: 'failed', created: `'2030-01-01T00:00:00Z'` },
      { name: 'a', status: 'failed', created: `'2030-01-02T00:00:00Z'` },
      { name: 'a', status: 'completed', created: `'2030-01-03T00:00:00Z'` },
      { name: 'b', status: 'failed', created: `'2030-01-04T00:00:00Z'` },
      { name: 'a', status: 'failed', created: `'2030-01-05T00:00:00Z'` },
    ]);
    const body = await list('?status=failed&task_name=a&created_before=2030-01-05T00:00:00Z&order=asc&limit=1');
    expect(body.tasks.map((task) => task.created_at)).toEqual(['2030-01-01T00:00:00.000Z']);
    const next = await list(`?status=failed&task_name=a&created_before=2030-01-05T00:00:00Z&order=asc&limit=1&cursor=${body.next_cursor}`);
    expect(next.tasks.map((task) => task.created_at)).toEqual(['2030-01-02T00:00:00.000Z']);
    expect(next.next_cursor).toBeNull();
  });

  for (const order of ['desc', 'asc'] as const) {
    it(`pages through every task exactly once in ${order} order, 25 of them created at the same instant`, async () => {
      await insert([
        ...Array.from({ length: 25 }, () => ({})),
        ...Array.from({ length: 5 }, (_, i) => ({ created: `now() - interval '${i + 1} seconds'` })),
        ...Array.from({ length: 5 }, (_, i) => ({ created: `now() + interval '${i + 1} microseconds'` })),
      ]);
      const expected = await idsInOrder(order);
      for (const limit of [1, 4, 35, 36]) {
        const seen: string[] = [];
        let cursor: string | null = null;
        let pages = 0;
        do {
          const body = await list(`?order=${order}&limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
          seen.push(...body.tasks.map((task) => task.id as string));
          cursor = body.next_cursor;
          pages += 1;
        } while (cursor !== null && pages < 100);
        expect(seen, `limit ${limit}`).toEqual(expected);
        expect(pages, `limit ${limit}`).toBe(Math.ceil(35 / limit));
      }
    });
  }

  it('returns 50 tasks by default and at most 500', async () => {
    await api.db.pool.query(`insert into tasks (task_name, max_retries) select 'job', 0 from generate_series(1, 501)`);
    const first = await list();
    expect(first.tasks).toHaveLength(50);
    expect(first.next_cursor).toEqual(expect.any(String));
    const full = await list('?limit=500');
    expect(full.tasks).toHaveLength(500);
    const rest = await list(`?limit=500&cursor=${full.next_cursor}`);
    expect(rest.tasks).toHaveLength(1);
    expect(rest.next_cursor).toBeNull();
  });

  describe('bad input', () => {
    const limits = ['0', '501', '-1', '1.5', 'abc', '', '1e2', '99999', '%20'];
    it.each(limits)('answers 400 for limit=%s, naming limit', async (limit) => {
      const body = expectError(await send('GET', `/tasks?limit=${limit}`), 400, 'limit must be an integer from 1 to 500');
      expect(body.errors).toEqual([{ field: 'limit', message: 'must be an integer from 1 to 500' }]);
    });

    it('answers 400 for a status that does not exist, naming status and the value', async () => {
      const body = expectError(await send('GET', '/tasks?status=pending,done'), 400, 'status must be one of');
      expect(body.message).toContain('"done"');
      expectError(await send('GET', '/tasks?status='), 400, 'status must be one of');
      expectError(await send('GET', '/tasks?status=PENDING'), 400, 'status');
      expectError(await send('GET', '/tasks?status=pending,'), 400, 'status');
    });

    const dates = ['yesterday', '2030-01-01', '2030-01-01T00:00:00', '2030-02-30T00:00:00Z', '2030-01-01T00:00:00+02:00', ''];
    for (const field of ['created_after', 'created_before', 'scheduled_after', 'scheduled_before']) {
      it.each(dates)(`answers 400 for ${field}=%s, naming ${field}`, async (value) => {
        const body = expectError(await send('GET', `/tasks?${field}=${value}`), 400, `${field} `);
        expect(body.errors.map((problem: { field: string }) => problem.field)).toEqual([field]);
      });
    }

    it('answers 400 for a bad order, and for scalar parameters given twice', async () => {
      expectError(await send('GET', '/tasks?order=newest'), 400, 'order must be asc or desc');
      expectError(await send('GET', '/tasks?limit=1&limit=2'), 400, 'limit must be given once');
      expectError(await send('GET', '/tasks?order=asc&order=desc'), 400, 'order must be given once');
      expectError(
        await send('GET', '/tasks?created_after=2030-01-01T00:00:00Z&created_after=2030-01-02T00:00:00Z'),
        400,
        'created_after must be given once',
      );
    });

    it('answers 400 for a task_name that is empty, too long or unstorable', async () => {
      expectError(await send('GET', '/tasks?task_name='), 400, 'task_name must not be empty');
      expectError(await send('GET', `/tasks?task_name=${'x'.repeat(256)}`), 400, 'task_name must be at most 255 characters');
      expectError(await send('GET', '/tasks?task_name=a%00b'), 400, 'task_name must not contain');
      const many = Array.from({ length: 101 }, (_, i) => `task_name=n${i}`).join('&');
      expectError(await send('GET', `/tasks?${many}`), 400, 'task_name must be given at most 100 times');
    });

    it('answers 400 naming every unknown parameter', async () => {
      const body = expectError(
        await send('GET', '/tasks?Status=pending&page=2&status[]=failed&__proto__=1&constructor=x'),
        400,
        'is not a known query parameter',
      );
      expect(body.errors.map((problem: { field: string }) => problem.field).sort()).toEqual([
        'Status',
        '__proto__',
        'constructor',
        'page',
        'status[]',
      ]);
    });

    it('lists every problem at once', async () => {
      const body = expectError(await send('GET', '/tasks?limit=0&status=nope&order=up&cursor='), 400, 'limit');
      expect(body.errors.map((problem: { field: string }) => problem.field).sort()).toEqual(['cursor', 'limit', 'order', 'status']);
    });

    it('answers 400 naming cursor for a tampered cursor or one made for the other order', async () => {
      await insert([{}, {}, {}]);
      const { next_cursor: cursor } = await list('?limit=1');
      expect(cursor).toEqual(expect.any(String));
      const tampered = [cursor!.slice(0, -2), `${cursor}x`, 'bm90LWEtY3Vyc29y', 'not a cursor', '%7B%7D', "'%20or%201=1--"];
      for (const value of tampered) {
        const body = expectError(await send('GET', `/tasks?cursor=${value}`), 400, 'cursor is not a valid cursor');
        expect(body.errors, value).toEqual([{ field: 'cursor', message: expect.stringContaining('is not a valid cursor') }]);
      }
      expectError(await send('GET', `/tasks?cursor=${cursor}&order=asc`), 400, 'cursor was made for order=desc');
      expect((await list(`?cursor=${cursor}`)).tasks).toHaveLength(2);
    });
  });

  describe('routing', () => {
    it('keeps GET /tasks/:id, POST /tasks and POST /tasks/batch as they were', async () => {
      const id = await createTask({ task_name: 'single' });
      expect((await getTask(id)).id).toBe(id);
      const batch = await send('POST', '/tasks/batch', { tasks: [{ task_name: 'batched' }] });
      expect(batch.statusCode).toBe(201);
      expect((await list()).tasks).toHaveLength(2);
    });

    it('treats GET /tasks/batch as an id, and answers 400 for it', async () => {
      expectError(await send('GET', '/tasks/batch'), 400, 'id must be a UUID');
    });

    it('ignores an empty query string', async () => {
      await createTask({ task_name: 'only' });
      expect(await ids('?')).toHaveLength(1);
    });
  });
});
