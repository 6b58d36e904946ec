import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { startApi } from '../../test/api-test-app.js';
import { UUID, ISO, TASK_FIELDS, JSON_HEADERS, expectError, useTasksApi } from '../../test/tasks-api-fixtures.js';
import { MAX_PAYLOAD_DEPTH } from './task-requests.js';

describe('tasks API: POST /tasks', () => {
  const { api, send, sendRaw, createTask, getTask } = useTasksApi();

  describe('POST /tasks', () => {
    it('answers 201 with only the new id, and the task is stored before the answer', async () => {
      const res = await send('POST', '/tasks', { task_name: 'send-email', payload: { to: 'a@example.com' } });
      expect(res.statusCode).toBe(201);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      const body = res.json();
      expect(body).toEqual({ id: expect.stringMatching(UUID) });
      const { rows } = await api.db.pool.query('select task_name, status from tasks where id = $1', [body.id]);
      expect(rows).toEqual([{ task_name: 'send-email', status: 'pending' }]);
    });

    it('applies the defaults: priority 0, max_retries from DEFAULT_MAX_RETRIES, scheduled now, payload null', async () => {
      const before = Date.now();
      const id = await createTask({ task_name: 'defaults' });
      const after = Date.now();
      const task = await getTask(id);
      expect(Object.keys(task).sort()).toEqual(TASK_FIELDS);
      expect(task).toMatchObject({
        id,
        task_name: 'defaults',
        payload: null,
        status: 'pending',
        priority: 0,
        attempts: 0,
        max_retries: 3,
        last_error: null,
        next_retry_at: null,
        locked_by: null,
        locked_at: null,
        started_at: null,
        finished_at: null,
      });
      for (const field of ['scheduled_at', 'created_at', 'updated_at']) expect(task[field]).toMatch(ISO);
      const scheduled = Date.parse(task.scheduled_at);
      expect(scheduled).toBeGreaterThanOrEqual(before - 2_000);
      expect(scheduled).toBeLessThanOrEqual(after + 2_000);
    });

    it('takes the default max_retries from the configuration', async () => {
      const other = await startApi(api.db.url, { DEFAULT_MAX_RETRIES: '7' });
      try {
        const res = await other.inject({ method: 'POST', url: '/tasks', payload: { task_name: 'configured' } });
        expect(res.statusCode).toBe(201);
        expect((await getTask(res.json().id)).max_retries).toBe(7);
      } finally {
        await other.close();
      }
    });

    it("says where max_retries came from: 'default' when DEFAULT_MAX_RETRIES stood in (a handler's maxRetries may replace it), else 'explicit'", async () => {
      const defaulted = await getTask(await createTask({ task_name: 'defaulted' }));
      expect(defaulted).toMatchObject({ max_retries: 3, max_retries_source: 'default' });
      // An explicit value equal to the default is still the submitter's choice.
      const explicit = await getTask(await createTask({ task_name: 'explicit', max_retries: 3 }));
      expect(explicit).toMatchObject({ max_retries: 3, max_retries_source: 'explicit' });
    });

    it('honours explicit priority, max_retries and scheduled_at', async () => {
      const id = await createTask({
        task_name: 'explicit',
        priority: 10,
        max_retries: 5,
        scheduled_at: '2030-01-01T09:00:00Z',
      });
      expect(await getTask(id)).toMatchObject({
        priority: 10,
        max_retries: 5,
        scheduled_at: '2030-01-01T09:00:00.000Z',
        status: 'pending',
      });
    });

    it('accepts the bounds: negative and int32 priorities, max_retries 0 and 1000', async () => {
      for (const [priority, max_retries] of [
        [-5, 0],
        [2_147_483_647, 1_000],
        [-2_147_483_648, 1],
      ]) {
        const id = await createTask({ task_name: 'bounds', priority, max_retries });
        expect(await getTask(id)).toMatchObject({ priority, max_retries });
      }
    });

    it('normalises scheduled_at with an offset to UTC', async () => {
      const cases = [
        ['2030-06-15T12:30:00+02:00', '2030-06-15T10:30:00.000Z'],
        ['2030-06-15T12:30:00.250-05:30', '2030-06-15T18:00:00.250Z'],
        ['2030-01-01T00:30:00+01:00', '2029-12-31T23:30:00.000Z'],
        ['2030-06-15T12:30:00+0200', '2030-06-15T10:30:00.000Z'],
        ['2028-02-29T12:00:00Z', '2028-02-29T12:00:00.000Z'],
      ];
      for (const [input, expected] of cases) {
        const id = await createTask({ task_name: 'offset', scheduled_at: input });
        expect((await getTask(id)).scheduled_at, input).toBe(expected);
      }
    });

    it('accepts a scheduled_at in the past (due at once)', async () => {
      const id = await createTask({ task_name: 'past', scheduled_at: '2001-02-03T04:05:06Z' });
      expect((await getTask(id)).scheduled_at).toBe('2001-02-03T04:05:06.000Z');
    });

    it('accepts a task_name of 255 characters, counting characters rather than bytes', async () => {
      for (const task_name of ['n'.repeat(255), 'é'.repeat(255)]) {
        const id = await createTask({ task_name });
        expect((await getTask(id)).task_name).toBe(task_name);
      }
    });

    describe('payload round trip', () => {
      const payloads: [string, unknown][] = [
        ['object', { to: 'a@example.com', nested: { list: [1, 'two', null, true], empty: {} }, unicode: 'héllo ✓ 😀' }],
        ['array', [1, 'two', { three: 3 }, [4], null]],
        ['empty object', {}],
        ['empty array', []],
        ['string', 'just a string'],
        ['empty string', ''],
        ['integer', 42],
        ['negative float', -1.5],
        ['zero', 0],
        ['boolean', false],
        ['null', null],
        ['escapes', { quote: '"', backslash: '\\', newline: 'a\nb', tab: '\t', control: '\u0001' }],
      ];
      it.each(payloads)('returns a %s payload exactly as sent', async (_kind, payload) => {
        const id = await createTask({ task_name: 'payload', payload });
        expect((await getTask(id)).payload).toEqual(payload);
      });

      it('returns null when no payload was sent', async () => {
        const id = await createTask({ task_name: 'no-payload' });
        expect((await getTask(id)).payload).toBeNull();
      });

      it(`accepts a payload nested ${MAX_PAYLOAD_DEPTH} levels deep`, async () => {
        let payload: unknown = 'leaf';
        for (let i = 0; i < MAX_PAYLOAD_DEPTH; i++) payload = i % 2 ? [payload] : { next: payload };
        const id = await createTask({ task_name: 'deep', payload });
        expect((await getTask(id)).payload).toEqual(payload);
      });
    });

    describe('invalid bodies answer 400 with a message naming the field', () => {
      const long = 'x'.repeat(256);
      const invalid: [string, Record<string, unknown>, string][] = [
        ['task_name missing', { payload: {} }, 'task_name'],
        ['task_name a number', { task_name: 123 }, 'task_name'],
        ['task_name null', { task_name: null }, 'task_name'],
        ['task_name a boolean', { task_name: true }, 'task_name'],
        ['task_name an array', { task_name: ['a'] }, 'task_name'],
        ['task_name an object', { task_name: { a: 1 } }, 'task_name'],
        ['task_name empty', { task_name: '' }, 'task_name'],
        ['task_name blank', { task_name: '   ' }, 'task_name'],
        ['task_name too long', { task_name: long }, 'task_name'],
        ['task_name containing U+0000', { task_name: 'a\u0000b' }, 'task_name'],
        ['task_name containing a lone surrogate', { task_name: 'a\ud800b' }, 'task_name'],
        ['priority a string', { task_name: 'a', priority: '5' }, 'priority'],
        ['priority fractional', { task_name: 'a', priority: 1.5 }, 'priority'],
        ['priority null', { task_name: 'a', priority: null }, 'priority'],
        ['priority a boolean', { task_name: 'a', priority: true }, 'priority'],
        ['priority above int32', { task_name: 'a', priority: 2_147_483_648 }, 'priority'],
        ['priority below int32', { task_name: 'a', priority: -2_147_483_649 }, 'priority'],
        ['max_retries negative', { task_name: 'a', max_retries: -1 }, 'max_retries'],
        ['max_retries fractional', { task_name: 'a', max_retries: 1.5 }, 'max_retries'],
        ['max_retries a string', { task_name: 'a', max_retries: '3' }, 'max_retries'],
        ['max_retries null', { task_name: 'a', max_retries: null }, 'max_retries'],
        ['max_retries above the limit', { task_name: 'a', max_retries: 1_001 }, 'max_retries'],
        ['scheduled_at not a date', { task_name: 'a', scheduled_at: 'tomorrow' }, 'scheduled_at'],
        ['scheduled_at empty', { task_name: 'a', scheduled_at: '' }, 'scheduled_at'],
        ['scheduled_at without time zone', { task_name: 'a', scheduled_at: '2030-01-01T09:00:00' }, 'scheduled_at'],
        ['scheduled_at a date only', { task_name: 'a', scheduled_at: '2030-01-01' }, 'scheduled_at'],
        ['scheduled_at with a space', { task_name: 'a', scheduled_at: '2030-01-01 09:00:00Z' }, 'scheduled_at'],
        ['scheduled_at month 13', { task_name: 'a', scheduled_at: '2030-13-01T09:00:00Z' }, 'scheduled_at'],
        ['scheduled_at February 30', { task_name: 'a', scheduled_at: '2030-02-30T09:00:00Z' }, 'scheduled_at'],
        ['scheduled_at February 29 of a common year', { task_name: 'a', scheduled_at: '2029-02-29T09:00:00Z' }, 'scheduled_at'],
        ['scheduled_at April 31', { task_name: 'a', scheduled_at: '2030-04-31T09:00:00+02:00' }, 'scheduled_at'],
        ['scheduled_at hour 25', { task_name: 'a', scheduled_at: '2030-01-01T25:00:00Z' }, 'scheduled_at'],
        ['scheduled_at second 60', { task_name: 'a', scheduled_at: '2030-01-01T09:00:60Z' }, 'scheduled_at'],
        ['scheduled_at offset out of range', { task_name: 'a', scheduled_at: '2030-01-01T09:00:00+25:00' }, 'scheduled_at'],
        ['scheduled_at before year 1 in UTC', { task_name: 'a', scheduled_at: '0001-01-01T00:00:00+14:00' }, 'scheduled_at'],
        ['scheduled_at after year 9999 in UTC', { task_name: 'a', scheduled_at: '9999-12-31T23:00:00-12:00' }, 'scheduled_at'],
        ['scheduled_at a number', { task_name: 'a', scheduled_at: 1_893_456_000_000 }, 'scheduled_at'],
        ['scheduled_at null', { task_name: 'a', scheduled_at: null }, 'scheduled_at'],
        ['an unknown field', { task_name: 'a', extra: 1 }, 'extra'],
        ['status set by the client', { task_name: 'a', status: 'completed' }, 'status'],
        ['id set by the client', { task_name: 'a', id: randomUUID() }, 'id'],
        ['payload string containing U+0000', { task_name: 'a', payload: { deep: ['x\u0000y'] } }, 'payload'],
        ['payload key containing U+0000', { task_name: 'a', payload: { 'k\u0000': 1 } }, 'payload'],
        ['payload string with a lone surrogate', { task_name: 'a', payload: 'bad \udc00 text' }, 'payload'],
      ];
      it.each(invalid)('%s', async (_case, body, field) => {
        const before = await api.db.pool.query('select count(*)::int as n from tasks');
        const res = await send('POST', '/tasks', body);
        const error = expectError(res, 400, field);
        expect(error.error).toBe('Bad Request');
        expect(error.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
        const after = await api.db.pool.query('select count(*)::int as n from tasks');
        expect(after.rows[0].n).toBe(before.rows[0].n);
      });

      it('names every bad field at once', async () => {
        const res = await send('POST', '/tasks', { task_name: '', priority: 'high', max_retries: -1 });
        const error = expectError(res, 400, 'task_name');
        expect(error.message).toContain('priority');
        expect(error.message).toContain('max_retries');
      });

      it('refuses the U+0000 escape inside a payload string as raw JSON', async () => {
        const res = await sendRaw('POST', '/tasks', '{"task_name":"a","payload":{"text":"x\\u0000y"}}');
        expectError(res, 400, 'payload');
      });

      it(`refuses a payload nested deeper than ${MAX_PAYLOAD_DEPTH} levels`, async () => {
        const depth = MAX_PAYLOAD_DEPTH + 1;
        const res = await sendRaw('POST', '/tasks', `{"task_name":"a","payload":${'['.repeat(depth)}${']'.repeat(depth)}}`);
        expectError(res, 400, 'payload');
      });

      it('refuses absurdly deep nesting with a 400, not a 500', async () => {
        for (const depth of [5_000, 100_000]) {
          const arrays = `{"task_name":"a","payload":${'['.repeat(depth)}${']'.repeat(depth)}}`;
          expectError(await sendRaw('POST', '/tasks', arrays), 400, 'payload');
          const objects = `{"task_name":"a","payload":${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}}`;
          expectError(await sendRaw('POST', '/tasks', objects), 400, 'payload');
        }
      });
    });

    describe('bodies that are not a JSON object answer 400', () => {
      const raw: [string, string | undefined, Record<string, string>, RegExp][] = [
        ['malformed JSON', '{"task_name": "a"', JSON_HEADERS, /body/i],
        ['a trailing comma', '{"task_name": "a",}', JSON_HEADERS, /body/i],
        ['an empty JSON body', '', JSON_HEADERS, /body/i],
        ['a missing body', undefined, {}, /body/i],
        ['an array', '[{"task_name":"a"}]', JSON_HEADERS, /body must be a JSON object/],
        ['a string', '"a"', JSON_HEADERS, /body must be a JSON object/],
        ['a number', '42', JSON_HEADERS, /body must be a JSON object/],
        ['null', 'null', JSON_HEADERS, /body must be a JSON object/],
        ['a boolean', 'true', JSON_HEADERS, /body must be a JSON object/],
        ['plain text', 'task_name=a', { 'content-type': 'text/plain' }, /body must be a JSON object/],
        ['a __proto__ key', '{"task_name":"a","__proto__":{"polluted":true}}', JSON_HEADERS, /body/i],
        ['a constructor.prototype key', '{"task_name":"a","payload":{"constructor":{"prototype":{"x":1}}}}', JSON_HEADERS, /body/i],
      ];
      it.each(raw)('%s', async (_case, body, headers, message) => {
        const error = expectError(await sendRaw('POST', '/tasks', body, headers), 400, message);
        expect(error.error).toBe('Bad Request');
        expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      });
    });
  });
});
