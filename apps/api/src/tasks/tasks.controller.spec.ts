import { randomUUID } from 'node:crypto';
import { claimTasks, completeTasks, failTask, type Task } from '@taskforge/core';
import { describe, expect, it } from 'vitest';
import { startApi, useApi } from '../../test/api-test-app.js';
import { MAX_PAYLOAD_DEPTH } from './task-requests.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
const TASK_FIELDS = [
  'id',
  'task_name',
  'payload',
  'status',
  'priority',
  'scheduled_at',
  'attempts',
  'max_retries',
  'last_error',
  'next_retry_at',
  'locked_by',
  'locked_at',
  'lease_expires_at',
  'timeout_ms',
  'result',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
].sort();
const WORKER = 'spec-worker';
const JSON_HEADERS = { 'content-type': 'application/json' };

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

describe('tasks API', () => {
  const api = useApi();

  /** A task name no other test uses, so claims in one test never take another test's tasks. */
  const uniqueName = (prefix = 'spec') => `${prefix}-${randomUUID()}`;

  function send(method: Method, url: string, payload?: unknown) {
    return api.app.inject({ method, url, payload: payload as never });
  }

  /** Sends raw bytes, for bodies that are not what JSON.stringify would produce. */
  function sendRaw(method: Method, url: string, body: string | undefined, headers: Record<string, string> = JSON_HEADERS) {
    return api.app.inject({ method, url, payload: body, headers });
  }

  async function createTask(body: Record<string, unknown>): Promise<string> {
    const res = await send('POST', '/tasks', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  async function getTask(id: string) {
    const res = await send('GET', `/tasks/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  /** Creates a task and drives it to `state` with core's worker-side functions. */
  async function taskIn(state: 'pending' | 'running' | 'completed' | 'failed' | 'failed-for-good' | 'cancelled') {
    const name = uniqueName(state);
    const id = await createTask({ task_name: name, max_retries: 1 });
    if (state === 'pending') return id;
    if (state === 'cancelled') {
      expect((await send('DELETE', `/tasks/${id}`)).statusCode).toBe(204);
      return id;
    }
    const [claimed] = await claimTasks(api.db.pool, { workerId: WORKER, taskNames: [name], limit: 1 });
    expect(claimed?.id).toBe(id);
    const attempt = { id, attempt: (claimed as Task).attempts, workerId: WORKER };
    if (state === 'completed') {
      expect(await completeTasks(api.db.pool, { workerId: WORKER, tasks: [attempt] })).toEqual([id]);
    } else if (state === 'failed' || state === 'failed-for-good') {
      const failed = await failTask(api.db.pool, {
        ...attempt,
        error: 'boom',
        retryDelayMs: 3_600_000,
        retryable: state === 'failed',
      });
      expect(failed).not.toBeNull();
    }
    return id;
  }

  function expectError(res: { statusCode: number; json(): any }, statusCode: number, messagePattern: RegExp | string) {
    const body = res.json();
    expect(body.statusCode).toBe(statusCode);
    expect(res.statusCode).toBe(statusCode);
    expect(typeof body.error).toBe('string');
    expect(typeof body.message).toBe('string');
    if (typeof messagePattern === 'string') expect(body.message).toContain(messagePattern);
    else expect(body.message).toMatch(messagePattern);
    return body;
  }

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

  describe('GET /tasks/:id', () => {
    it('returns every field of a running task, timestamps as ISO strings', async () => {
      const id = await taskIn('running');
      const task = await getTask(id);
      expect(Object.keys(task).sort()).toEqual(TASK_FIELDS);
      expect(task).toMatchObject({ id, status: 'running', attempts: 1, locked_by: WORKER, finished_at: null });
      for (const field of ['scheduled_at', 'locked_at', 'created_at', 'updated_at', 'started_at']) {
        expect(task[field], field).toMatch(ISO);
      }
    });

    it('shows a failed task awaiting its retry, and one failed for good', async () => {
      const retrying = await getTask(await taskIn('failed'));
      expect(retrying).toMatchObject({ status: 'failed', last_error: 'boom', locked_by: null, locked_at: null, finished_at: null });
      expect(retrying.next_retry_at).toMatch(ISO);
      expect(Date.parse(retrying.next_retry_at)).toBeGreaterThan(Date.now());

      const dead = await getTask(await taskIn('failed-for-good'));
      expect(dead).toMatchObject({ status: 'failed', last_error: 'boom', next_retry_at: null });
      expect(dead.finished_at).toMatch(ISO);
    });

    it('shows a completed task with finished_at', async () => {
      const task = await getTask(await taskIn('completed'));
      expect(task).toMatchObject({ status: 'completed', locked_by: null, last_error: null });
      expect(task.finished_at).toMatch(ISO);
    });

    it('accepts the id in upper case', async () => {
      const id = await createTask({ task_name: 'upper' });
      expect((await getTask(id.toUpperCase())).id).toBe(id);
    });

    it('answers 404 for an unknown id, naming it', async () => {
      const id = randomUUID();
      const error = expectError(await send('GET', `/tasks/${id}`), 404, id);
      expect(error.error).toBe('Not Found');
    });

    const malformed = ['not-a-uuid', '123', `${randomUUID()}0`, randomUUID().replace(/-/g, ''), 'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz', "'%20or%201=1--", '%00', 'null'];
    it.each(malformed)('answers 400 for the malformed id %s', async (id) => {
      const error = expectError(await send('GET', `/tasks/${id}`), 400, 'id');
      expect(error.error).toBe('Bad Request');
    });
  });

  describe('DELETE /tasks/:id', () => {
    it('cancels a pending task: 204 with no body, then GET shows it cancelled with finished_at', async () => {
      const id = await createTask({ task_name: 'to-cancel' });
      const before = await getTask(id);
      const res = await send('DELETE', `/tasks/${id}`);
      expect(res.statusCode).toBe(204);
      expect(res.body).toBe('');
      const task = await getTask(id);
      expect(task).toMatchObject({ id, status: 'cancelled', attempts: 0, locked_by: null });
      expect(task.finished_at).toMatch(ISO);
      expect(Date.parse(task.finished_at)).toBeGreaterThanOrEqual(Date.parse(before.created_at));
      expect(Date.parse(task.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
    });

    it.each(['running', 'completed', 'failed', 'failed-for-good', 'cancelled'] as const)(
      'answers 409 for a %s task, naming its status, and leaves it unchanged',
      async (state) => {
        const id = await taskIn(state);
        const before = await getTask(id);
        const status = state === 'failed-for-good' ? 'failed' : state;
        const error = expectError(await send('DELETE', `/tasks/${id}`), 409, status);
        expect(error.error).toBe('Conflict');
        expect(error.message).toContain(`status is ${status}`);
        expect(error.status).toBe(status);
        expect(await getTask(id)).toEqual(before);
      },
    );

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      expectError(await send('DELETE', `/tasks/${randomUUID()}`), 404, 'not found');
      expectError(await send('DELETE', '/tasks/not-a-uuid'), 400, 'id');
    });
  });

  describe('PATCH /tasks/:id', () => {
    it('moves a pending task and answers 200 with the whole updated task', async () => {
      const id = await createTask({ task_name: 'to-move', payload: { keep: true }, priority: 3 });
      const before = await getTask(id);
      const res = await send('PATCH', `/tasks/${id}`, { scheduled_at: '2031-03-04T05:06:07.089Z' });
      expect(res.statusCode).toBe(200);
      const task = res.json();
      expect(Object.keys(task).sort()).toEqual(TASK_FIELDS);
      expect(task).toEqual({ ...before, scheduled_at: '2031-03-04T05:06:07.089Z', updated_at: expect.stringMatching(ISO) });
      expect(Date.parse(task.updated_at)).toBeGreaterThanOrEqual(Date.parse(before.updated_at));
      expect(await getTask(id)).toEqual(task);
    });

    it('normalises an offset to UTC', async () => {
      const id = await createTask({ task_name: 'to-move' });
      const res = await send('PATCH', `/tasks/${id}`, { scheduled_at: '2030-06-15T12:30:00+02:00' });
      expect(res.statusCode).toBe(200);
      expect(res.json().scheduled_at).toBe('2030-06-15T10:30:00.000Z');
      expect((await getTask(id)).scheduled_at).toBe('2030-06-15T10:30:00.000Z');
    });

    it.each(['running', 'completed', 'failed', 'failed-for-good', 'cancelled'] as const)(
      'answers 409 for a %s task, naming its status, and leaves it unchanged',
      async (state) => {
        const id = await taskIn(state);
        const before = await getTask(id);
        const status = state === 'failed-for-good' ? 'failed' : state;
        const res = await send('PATCH', `/tasks/${id}`, { scheduled_at: '2030-01-01T00:00:00Z' });
        const error = expectError(res, 409, `status is ${status}`);
        expect(error.error).toBe('Conflict');
        expect(error.status).toBe(status);
        expect(await getTask(id)).toEqual(before);
      },
    );

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const unknown = randomUUID();
      expectError(await send('PATCH', `/tasks/${unknown}`, { scheduled_at: '2030-01-01T00:00:00Z' }), 404, unknown);
      expectError(await send('PATCH', '/tasks/not-a-uuid', { scheduled_at: '2030-01-01T00:00:00Z' }), 400, 'id');
    });

    const invalid: [string, string | undefined, Record<string, string>, RegExp | string][] = [
      ['scheduled_at missing', '{}', JSON_HEADERS, 'scheduled_at'],
      ['scheduled_at null', '{"scheduled_at":null}', JSON_HEADERS, 'scheduled_at'],
      ['scheduled_at a number', '{"scheduled_at":1}', JSON_HEADERS, 'scheduled_at'],
      ['scheduled_at not a date', '{"scheduled_at":"soon"}', JSON_HEADERS, 'scheduled_at'],
      ['scheduled_at without time zone', '{"scheduled_at":"2030-01-01T09:00:00"}', JSON_HEADERS, 'scheduled_at'],
      ['scheduled_at February 30', '{"scheduled_at":"2030-02-30T09:00:00Z"}', JSON_HEADERS, 'scheduled_at'],
      ['an unknown field', '{"scheduled_at":"2030-01-01T09:00:00Z","priority":1}', JSON_HEADERS, 'priority'],
      ['malformed JSON', '{"scheduled_at":', JSON_HEADERS, /body/i],
      ['an empty JSON body', '', JSON_HEADERS, /body/i],
      ['a missing body', undefined, {}, /body/i],
      ['an array', '["2030-01-01T09:00:00Z"]', JSON_HEADERS, 'body must be a JSON object'],
      ['a string', '"2030-01-01T09:00:00Z"', JSON_HEADERS, 'body must be a JSON object'],
      ['null', 'null', JSON_HEADERS, 'body must be a JSON object'],
    ];
    it.each(invalid)('answers 400 for %s and leaves the task unchanged', async (_case, body, headers, message) => {
      const id = await createTask({ task_name: 'to-move' });
      const before = await getTask(id);
      expectError(await sendRaw('PATCH', `/tasks/${id}`, body, headers), 400, message);
      expect(await getTask(id)).toEqual(before);
    });
  });

  describe('never a 500 for junk input', () => {
    const junkBodies: (string | undefined)[] = [
      undefined,
      '',
      ' ',
      '{',
      '}',
      '[]',
      '[[[[',
      'null',
      'undefined',
      'NaN',
      '1e400',
      '"\\u0000"',
      '{"task_name":"\\u0000"}',
      '{"task_name":"a","payload":"\\u0000"}',
      '{"task_name":"a","payload":{"\\u0000":"\\u0000"}}',
      '{"task_name":"a","payload":"\\ud800"}',
      '{"task_name":"a","payload":["\\udfff", "ok"]}',
      '{"task_name":"a","priority":1e400}',
      '{"task_name":"a","max_retries":1e400}',
      '{"task_name":"a","priority":-0}',
      '{"task_name":"a","scheduled_at":"0000-00-00T00:00:00Z"}',
      '{"task_name":"a","scheduled_at":"9999-99-99T99:99:99Z"}',
      '{"task_name":"a","scheduled_at":"2030-01-01T09:00:00.1234567890Z"}',
      '{"task_name":"a","scheduled_at":"\\u0000"}',
      '{"scheduled_at":"\\u0000"}',
      '{"task_name":"a","task_name":"b"}',
      '{"task_name":"a","payload":' + '['.repeat(10_000) + ']'.repeat(10_000) + '}',
      '\u0000',
      '\uFEFF{"task_name":"a"}',
    ];
    const targets: [Method, () => Promise<string>][] = [
      ['POST', async () => '/tasks'],
      ['PATCH', async () => `/tasks/${await createTask({ task_name: 'junk-target' })}`],
    ];
    it.each(targets)('%s', async (method, url) => {
      const target = await url();
      for (const body of junkBodies) {
        for (const headers of [JSON_HEADERS, { 'content-type': 'text/plain' }, { 'content-type': 'application/json; charset=utf-8' }]) {
          const res = await sendRaw(method, target, body, headers);
          const context = `${method} ${headers['content-type']} ${String(body).slice(0, 60)} => ${res.statusCode} ${res.body.slice(0, 200)}`;
          expect(res.statusCode, context).toBeLessThan(500);
          if (res.statusCode >= 400) {
            expect(res.json(), context).toMatchObject({ statusCode: res.statusCode, error: expect.any(String), message: expect.any(String) });
          }
        }
      }
    });

    it('other content types and junk ids', async () => {
      for (const [url, headers] of [
        ['/tasks', { 'content-type': 'application/xml' }],
        ['/tasks', { 'content-type': 'application/x-www-form-urlencoded' }],
        ['/tasks', { 'content-type': 'multipart/form-data; boundary=x' }],
        ['/tasks', { 'content-type': 'application/json; charset=utf-16' }],
      ] as const) {
        const res = await sendRaw('POST', url, '{"task_name":"a"}', headers);
        expect(res.statusCode, `${headers['content-type']}: ${res.body}`).toBeLessThan(500);
      }
      for (const id of ['%E0%A4%A', 'a'.repeat(5_000), '%2e%2e', '..%2f..%2fetc', '%F0%9F%98%80']) {
        for (const method of ['GET', 'DELETE'] as const) {
          const res = await send(method, `/tasks/${id}`);
          expect(res.statusCode, `${method} ${id.slice(0, 40)}: ${res.body.slice(0, 200)}`).toBeGreaterThanOrEqual(400);
          expect(res.statusCode, `${method} ${id.slice(0, 40)}: ${res.body.slice(0, 200)}`).toBeLessThan(500);
        }
      }
    });
  });
});
