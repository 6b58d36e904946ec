import { describe, expect, it } from 'vitest';
import { startApi, useApi } from '../../test/api-test-app.js';
import { MAX_BATCH_SIZE } from './task-requests.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const JSON_HEADERS = { 'content-type': 'application/json' };

interface StoredTask {
  id: string;
  task_name: string;
  payload: unknown;
  status: string;
  priority: number;
  scheduled_at: Date;
  max_retries: number;
  max_retries_source: string;
  timeout_ms: number | null;
}

describe('POST /tasks/batch', () => {
  const api = useApi();

  function postBatch(body: unknown, target = api.app) {
    return target.inject({ method: 'POST', url: '/tasks/batch', payload: body as never });
  }

  /** Sends raw bytes, for bodies that are not what JSON.stringify would produce. */
  function postRaw(body: string | undefined, headers: Record<string, string> = JSON_HEADERS) {
    return api.app.inject({ method: 'POST', url: '/tasks/batch', payload: body, headers });
  }

  async function storedTasks(ids: readonly string[]): Promise<StoredTask[]> {
    const { rows } = await api.db.pool.query<StoredTask>(
      `select id, task_name, payload, status, priority, scheduled_at, max_retries, max_retries_source, timeout_ms
         from tasks where id = any($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((row) => [row.id, row]));
    return ids.map((id) => byId.get(id)!);
  }

  async function taskCount(): Promise<number> {
    const { rows } = await api.db.pool.query<{ count: string }>('select count(*) from tasks');
    return Number(rows[0]!.count);
  }

  /** Asserts a 400 and that nothing reached the table; returns the error body. */
  async function expectRefused(send: () => Promise<{ statusCode: number; json(): any; body: string }>) {
    const before = await taskCount();
    const res = await send();
    expect(res.statusCode, res.body).toBe(400);
    const body = res.json();
    expect(body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.any(String) });
    expect(await taskCount()).toBe(before);
    return body;
  }

  const tasksOf = (count: number, name = 'bulk') =>
    Array.from({ length: count }, (_, i) => ({ task_name: `${name}-${i}`, payload: { i } }));

  describe('accepted batches', () => {
    it('answers 201 with the ids in request order, each task stored with its own fields', async () => {
      const tasks = [
        { task_name: 'send-email', payload: { to: 'a@example.com' }, priority: 5, max_retries: 1, timeout_ms: 30_000 },
        { task_name: 'resize', payload: [1, 'two', [3]], scheduled_at: '2030-06-15T12:30:00+02:00' },
        { task_name: 'send-email', payload: 'just a string', priority: -1, max_retries: 0 },
      ];
      const res = await postBatch({ tasks });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const { ids } = res.json();
      expect(res.json()).toEqual({ ids: [expect.stringMatching(UUID), expect.stringMatching(UUID), expect.stringMatching(UUID)] });
      expect(new Set(ids).size).toBe(3);

      const [first, second, third] = await storedTasks(ids);
      expect(first).toMatchObject({
        task_name: 'send-email',
        payload: { to: 'a@example.com' },
        status: 'pending',
        priority: 5,
        max_retries: 1,
        timeout_ms: 30_000,
      });
      expect(second).toMatchObject({ task_name: 'resize', payload: [1, 'two', [3]], status: 'pending', priority: 0, max_retries: 3 });
      expect(second!.scheduled_at.toISOString()).toBe('2030-06-15T10:30:00.000Z');
      expect(third).toMatchObject({ task_name: 'send-email', payload: 'just a string', priority: -1, max_retries: 0 });
    });

    it('applies the same defaults as POST /tasks: priority 0, DEFAULT_MAX_RETRIES, scheduled now, no payload, no timeout', async () => {
      const before = Date.now();
      const res = await postBatch({ tasks: [{ task_name: 'defaults' }] });
      const after = Date.now();
      expect(res.statusCode, res.body).toBe(201);
      const [task] = await storedTasks(res.json().ids);
      expect(task).toMatchObject({
        task_name: 'defaults',
        payload: null,
        status: 'pending',
        priority: 0,
        max_retries: 3,
        timeout_ms: null,
      });
      expect(task!.scheduled_at.getTime()).toBeGreaterThanOrEqual(before - 2_000);
      expect(task!.scheduled_at.getTime()).toBeLessThanOrEqual(after + 2_000);
    });

    it('takes the default max_retries and timeout from the configuration, like POST /tasks', async () => {
      const other = await startApi(api.db.url, { DEFAULT_MAX_RETRIES: '7', TASK_DEFAULT_TIMEOUT_MS: '2500' });
      try {
        const res = await postBatch(
          { tasks: [{ task_name: 'configured' }, { task_name: 'explicit', max_retries: 1, timeout_ms: 10 }] },
          other,
        );
        expect(res.statusCode, res.body).toBe(201);
        const [configured, explicit] = await storedTasks(res.json().ids);
        expect(configured).toMatchObject({ max_retries: 7, timeout_ms: 2_500 });
        expect(explicit).toMatchObject({ max_retries: 1, timeout_ms: 10 });
        // Per task: the defaulted one may still take its handler's maxRetries, the explicit one keeps 1.
        expect([configured!.max_retries_source, explicit!.max_retries_source]).toEqual(['default', 'explicit']);
      } finally {
        await other.close();
      }
    });

    it(`accepts ${MAX_BATCH_SIZE} tasks in one request, ids in request order`, async () => {
      const tasks = tasksOf(MAX_BATCH_SIZE, 'thousand');
      const res = await postBatch({ tasks });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(201);
      const { ids } = res.json();
      expect(ids).toHaveLength(MAX_BATCH_SIZE);
      const stored = await storedTasks(ids);
      expect(stored.map((task) => task.task_name)).toEqual(tasks.map((task) => task.task_name));
      expect(stored.map((task) => task.payload)).toEqual(tasks.map((task) => task.payload));
    });

    it('is not shadowed by the :id routes, which still refuse "batch" as an id', async () => {
      expect((await postBatch({ tasks: [{ task_name: 'routing' }] })).statusCode).toBe(201);
      const res = await api.app.inject({ method: 'GET', url: '/tasks/batch' });
      expect(res.statusCode).toBe(400);
      expect(res.json().message).toBe('id must be a UUID');
    });
  });

  describe('the batch as a whole', () => {
    it(`refuses ${MAX_BATCH_SIZE + 1} tasks, naming tasks and the limit`, async () => {
      const body = await expectRefused(() => postBatch({ tasks: tasksOf(MAX_BATCH_SIZE + 1) }));
      expect(body.message).toBe(`tasks must contain at most ${MAX_BATCH_SIZE} tasks`);
      expect(body.errors).toEqual([{ field: 'tasks', message: `must contain at most ${MAX_BATCH_SIZE} tasks` }]);
    });

    it('refuses an oversized batch on its size alone, even when its items are invalid too', async () => {
      const body = await expectRefused(() => postBatch({ tasks: Array.from({ length: MAX_BATCH_SIZE + 1 }, () => 1) }));
      expect(body.errors).toEqual([{ field: 'tasks', message: `must contain at most ${MAX_BATCH_SIZE} tasks` }]);
    });

    it('refuses an empty batch', async () => {
      const body = await expectRefused(() => postBatch({ tasks: [] }));
      expect(body.errors).toEqual([{ field: 'tasks', message: 'must contain at least 1 task' }]);
    });

    it.each([
      ['missing', {}, 'tasks is required'],
      ['null', { tasks: null }, 'tasks must be an array'],
      ['an object', { tasks: { task_name: 'a' } }, 'tasks must be an array'],
      ['a string', { tasks: 'a' }, 'tasks must be an array'],
      ['a number', { tasks: 3 }, 'tasks must be an array'],
    ])('refuses tasks %s', async (_case, payload, message) => {
      const body = await expectRefused(() => postBatch(payload));
      expect(body.message).toBe(message);
    });

    it('refuses unknown top-level fields', async () => {
      const body = await expectRefused(() => postBatch({ tasks: [{ task_name: 'a' }], priority: 1 }));
      expect(body.errors).toEqual([{ field: 'priority', message: 'is not a known field' }]);
    });

    it.each([
      ['an array of tasks', '[{"task_name":"a"}]'],
      ['a string', '"tasks"'],
      ['null', 'null'],
    ])('refuses a body that is %s', async (_case, raw) => {
      const body = await expectRefused(() => postRaw(raw));
      expect(body.message).toBe('body must be a JSON object');
    });
  });

  describe('invalid items: all or nothing', () => {
    it('refuses the whole batch for one bad item among many, naming its index, and stores none', async () => {
      const tasks: unknown[] = tasksOf(10, 'all-or-nothing');
      tasks[3] = { task_name: 42 };
      const body = await expectRefused(() => postBatch({ tasks }));
      expect(body.message).toBe('tasks.3.task_name must be a string');
      expect(body.errors).toEqual([{ index: 3, field: 'tasks.3.task_name', message: 'must be a string' }]);
      const { rows } = await api.db.pool.query(`select 1 from tasks where task_name like 'all-or-nothing-%'`);
      expect(rows).toEqual([]);
    });

    it('lists every problem of every bad item, in order, and joins them in the message', async () => {
      const tasks: unknown[] = tasksOf(10, 'several');
      tasks[3] = { task_name: 42 };
      tasks[7] = { task_name: 'ok', max_retries: -1, priority: 1.5 };
      tasks[9] = { task_name: 'ok', colour: 'red' };
      const body = await expectRefused(() => postBatch({ tasks }));
      expect(body.errors).toEqual([
        { index: 3, field: 'tasks.3.task_name', message: 'must be a string' },
        { index: 7, field: 'tasks.7.priority', message: 'must be an integer' },
        { index: 7, field: 'tasks.7.max_retries', message: 'must not be negative' },
        { index: 9, field: 'tasks.9.colour', message: 'is not a known field' },
      ]);
      expect(body.message).toBe(
        'tasks.3.task_name must be a string; tasks.7.priority must be an integer; tasks.7.max_retries must not be negative; tasks.9.colour is not a known field',
      );
    });

    it('applies every POST /tasks rule to each item', async () => {
      const body = await expectRefused(() =>
        postBatch({
          tasks: [
            {},
            { task_name: ' ' },
            { task_name: 'a', scheduled_at: '2030-01-01T09:00:00' },
            { task_name: 'a', max_retries: 1_001 },
            { task_name: 'a', timeout_ms: 0 },
            { task_name: 'a', payload: 'nul \u0000' },
          ],
        }),
      );
      expect(body.errors.map((error: { index: number; field: string }) => [error.index, error.field])).toEqual([
        [0, 'tasks.0.task_name'],
        [1, 'tasks.1.task_name'],
        [2, 'tasks.2.scheduled_at'],
        [3, 'tasks.3.max_retries'],
        [4, 'tasks.4.timeout_ms'],
        [5, 'tasks.5.payload'],
      ]);
      expect(body.errors[0].message).toBe('is required');
    });

    it('refuses items that are not objects, naming each', async () => {
      const body = await expectRefused(() => postBatch({ tasks: [{ task_name: 'a' }, 'b', null, [], 4] }));
      expect(body.errors).toEqual([1, 2, 3, 4].map((index) => ({ index, field: `tasks.${index}`, message: 'must be a JSON object' })));
    });
  });

  describe('never a 500 for junk input', () => {
    const junkBodies: (string | undefined)[] = [
      undefined,
      '',
      ' ',
      '{',
      '[]',
      'null',
      '1e400',
      '{"tasks":',
      '{"tasks":[',
      '{"tasks":[{]}',
      '{"tasks":[null]}',
      '{"tasks":[[]]}',
      '{"tasks":[[[[]]]]}',
      '{"tasks":[{"task_name":"\\u0000"}]}',
      '{"tasks":[{"task_name":"a","payload":"\\ud800"}]}',
      '{"tasks":[{"task_name":"a","payload":{"\\u0000":1}}]}',
      '{"tasks":[{"task_name":"a","priority":1e400}]}',
      '{"tasks":[{"task_name":"a","scheduled_at":"9999-99-99T99:99:99Z"}]}',
      '{"tasks":[{"task_name":"a","payload":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}]}',
      '{"tasks":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}',
      '{"tasks":[{"task_name":"a"}],"tasks":"b"}',
      '{"__proto__":{"tasks":[]}}',
      '{"tasks":[{"task_name":"a","__proto__":{"max_retries":-1}}]}',
      '{"tasks":{"length":2,"0":{"task_name":"a"}}}',
      '\uFEFF{"tasks":[{"task_name":"a"}]}',
    ];
    it('answers every junk body with a 4xx (or a 201 when valid), never a 500', async () => {
      for (const body of junkBodies) {
        for (const headers of [JSON_HEADERS, { 'content-type': 'text/plain' }]) {
          const res = await postRaw(body, headers);
          const context = `${headers['content-type']} ${String(body).slice(0, 60)} => ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, context).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.json(), context).toMatchObject({
              statusCode: res.statusCode,
              error: expect.any(String),
              message: expect.any(String),
            });
          }
        }
      }
    });

    it('answers a body above the size limit with 413, not a 500', async () => {
      const big = 'x'.repeat(2 * 1024 * 1024);
      const before = await taskCount();
      const res = await postBatch({ tasks: [{ task_name: 'big', payload: big }] });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ statusCode: 413, message: expect.any(String) });
      expect(await taskCount()).toBe(before);
    });
  });
});
