import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ISO, TASK_FIELDS, WORKER, JSON_HEADERS, type Method, expectError, useTasksApi } from '../../test/tasks-api-fixtures.js';

describe('tasks API: GET, DELETE and PATCH /tasks/:id', () => {
  const { send, sendRaw, createTask, getTask, taskIn } = useTasksApi();

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

    const malformed = [
      'not-a-uuid',
      '123',
      `${randomUUID()}0`,
      randomUUID().replace(/-/g, ''),
      'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
      "'%20or%201=1--",
      '%00',
      'null',
    ];
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
      [
        'scheduled_at past year 9999 in UTC',
        '{"scheduled_at":"9999-12-31T23:00:00-12:00"}',
        JSON_HEADERS,
        'scheduled_at must fall between',
      ],
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
            expect(res.json(), context).toMatchObject({
              statusCode: res.statusCode,
              error: expect.any(String),
              message: expect.any(String),
            });
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
