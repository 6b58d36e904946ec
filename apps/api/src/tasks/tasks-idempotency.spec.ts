import { describe, expect, it } from 'vitest';
import { startApi } from '../../test/api-test-app.js';
import { UUID, expectError, useTasksApi } from '../../test/tasks-api-fixtures.js';

describe('tasks API: idempotency_key', () => {
  const { api, uniqueName, send, sendRaw, getTask } = useTasksApi();

  const post = (body: Record<string, unknown>) => send('POST', '/tasks', body);

  async function countWithKey(key: string): Promise<number> {
    const { rows } = await api.db.pool.query('select count(*)::int as n from tasks where idempotency_key = $1', [key]);
    return rows[0].n;
  }

  /** Marks the task completed `agoMs` before now (database time), directly. */
  async function finishAgo(id: string, agoMs: number): Promise<void> {
    await api.db.pool.query(
      `update tasks set status = 'completed', finished_at = now() - $2::float8 * interval '1 millisecond' where id = $1`,
      [id, agoMs],
    );
  }

  describe('POST /tasks', () => {
    it('answers 201 on first use of a key and 200 with the same id and body shape after, storing one task', async () => {
      const key = uniqueName('order');
      const first = await post({ task_name: 'send-email', payload: { to: 'a@example.com' }, idempotency_key: key });
      expect(first.statusCode).toBe(201);
      expect(first.json()).toEqual({ id: expect.stringMatching(UUID) });

      const second = await post({ task_name: 'send-email', payload: { to: 'a@example.com' }, idempotency_key: key });
      expect(second.statusCode).toBe(200);
      expect(second.headers['content-type']).toMatch(/^application\/json/);
      expect(second.json()).toEqual(first.json());
      expect(await countWithKey(key)).toBe(1);
      expect(await getTask(first.json().id)).toMatchObject({ idempotency_key: key, status: 'pending' });
    });

    it('returns the existing task for the same key even when the rest of the body differs', async () => {
      const key = uniqueName('differs');
      const first = await post({ task_name: 'a', payload: { v: 1 }, priority: 1, idempotency_key: key });
      const second = await post({ task_name: 'b', payload: { v: 2 }, priority: 9, idempotency_key: key });
      expect(second.statusCode).toBe(200);
      expect(second.json().id).toBe(first.json().id);
      expect(await getTask(first.json().id)).toMatchObject({ task_name: 'a', payload: { v: 1 }, priority: 1 });
    });

    it('keeps the 201 contract without a key, or with a null one: a new task every time', async () => {
      const name = uniqueName('plain');
      const answers = [
        await post({ task_name: name }),
        await post({ task_name: name }),
        await post({ task_name: name, idempotency_key: null }),
      ];
      expect(answers.map((res) => res.statusCode)).toEqual([201, 201, 201]);
      expect(new Set(answers.map((res) => res.json().id)).size).toBe(3);
      for (const res of answers) expect((await getTask(res.json().id)).idempotency_key).toBeNull();
    });

    it('stores the key as given: not trimmed, case kept, 255 characters counted as characters', async () => {
      for (const key of [`  ${uniqueName('spaced')}  `, uniqueName('MiXeD'), '😀'.repeat(255), 'é'.repeat(255)]) {
        const res = await post({ task_name: 'keys', idempotency_key: key });
        expect(res.statusCode, key).toBe(201);
        expect((await getTask(res.json().id)).idempotency_key).toBe(key);
      }
    });

    it.each([
      ['an empty string', '', 'idempotency_key must not be empty'],
      ['256 characters', 'k'.repeat(256), 'idempotency_key must be at most 255 characters'],
      ['256 emoji', '😀'.repeat(256), 'idempotency_key must be at most 255 characters'],
      ['a number', 42, 'idempotency_key must be a string'],
      ['an object', { key: 'x' }, 'idempotency_key must be a string'],
      ['an array', ['x'], 'idempotency_key must be a string'],
      ['a boolean', true, 'idempotency_key must be a string'],
      ['U+0000', 'a\u0000b', 'idempotency_key must not contain the character U+0000'],
      ['an unpaired surrogate', 'a\ud800b', 'idempotency_key must not contain the character U+0000 or unpaired surrogates'],
    ])('refuses %s as a key with a 400 naming idempotency_key, storing nothing', async (_label, key, message) => {
      const name = uniqueName('bad-key');
      const body = expectError(await post({ task_name: name, idempotency_key: key }), 400, message);
      expect(body.errors).toEqual([expect.objectContaining({ field: 'idempotency_key' })]);
      const { rows } = await api.db.pool.query('select count(*)::int as n from tasks where task_name = $1', [name]);
      expect(rows[0].n).toBe(0);
    });

    it('refuses the U+0000 escape in a key sent as raw JSON', async () => {
      const res = await sendRaw('POST', '/tasks', '{"task_name":"a","idempotency_key":"x\\u0000y"}');
      expectError(res, 400, 'idempotency_key');
    });

    it('20 parallel submissions of one key: one 201, nineteen 200, all with the one stored id', async () => {
      const key = uniqueName('parallel');
      const answers = await Promise.all(
        Array.from({ length: 20 }, (_, i) => post({ task_name: 'race', payload: { i }, idempotency_key: key })),
      );
      expect(answers.filter((res) => res.statusCode === 201)).toHaveLength(1);
      expect(answers.filter((res) => res.statusCode === 200)).toHaveLength(19);
      const { rows } = await api.db.pool.query('select id from tasks where idempotency_key = $1', [key]);
      expect(rows).toHaveLength(1);
      expect(new Set(answers.map((res) => res.json().id))).toEqual(new Set([rows[0].id]));
    });

    it('still answers 200 for a task that finished within TASK_IDEMPOTENCY_WINDOW (default 24h)', async () => {
      const key = uniqueName('window');
      const first = await post({ task_name: 'w', idempotency_key: key });
      await finishAgo(first.json().id, 3_600_000);
      const again = await post({ task_name: 'w', idempotency_key: key });
      expect(again.statusCode).toBe(200);
      expect(again.json().id).toBe(first.json().id);
    });

    it('creates a new task (201) once the window after the holder finished has passed; the old one stays', async () => {
      const shortWindow = await startApi(api.db.url, { TASK_IDEMPOTENCY_WINDOW: '1m' });
      try {
        const key = uniqueName('expired');
        const first = await shortWindow.inject({ method: 'POST', url: '/tasks', payload: { task_name: 'w', idempotency_key: key } });
        expect(first.statusCode).toBe(201);
        await finishAgo(first.json().id, 120_000);
        const again = await shortWindow.inject({ method: 'POST', url: '/tasks', payload: { task_name: 'w', idempotency_key: key } });
        expect(again.statusCode).toBe(201);
        expect(again.json().id).not.toBe(first.json().id);
        expect(await getTask(first.json().id)).toMatchObject({ status: 'completed', idempotency_key: null });
        expect(await getTask(again.json().id)).toMatchObject({ status: 'pending', idempotency_key: key });
      } finally {
        await shortWindow.close();
      }
    });
  });

  describe('POST /tasks/batch', () => {
    it('refuses items with a key, naming tasks.<i>.idempotency_key with its index, and stores nothing', async () => {
      const name = uniqueName('batch');
      const res = await send('POST', '/tasks/batch', {
        tasks: [{ task_name: name }, { task_name: name, idempotency_key: 'k-1' }, { task_name: name, idempotency_key: 'k-2' }],
      });
      const body = expectError(res, 400, 'tasks.1.idempotency_key is not accepted in a batch');
      expect(body.errors).toEqual([
        { index: 1, field: 'tasks.1.idempotency_key', message: expect.stringContaining('POST /tasks') },
        { index: 2, field: 'tasks.2.idempotency_key', message: expect.stringContaining('POST /tasks') },
      ]);
      const { rows } = await api.db.pool.query('select count(*)::int as n from tasks where task_name = $1', [name]);
      expect(rows[0].n).toBe(0);
    });

    it('accepts items with a null key, as without one', async () => {
      const res = await send('POST', '/tasks/batch', { tasks: [{ task_name: 'b', idempotency_key: null }, { task_name: 'b' }] });
      expect(res.statusCode, res.body).toBe(201);
      for (const id of res.json().ids) expect((await getTask(id)).idempotency_key).toBeNull();
    });
  });
});
