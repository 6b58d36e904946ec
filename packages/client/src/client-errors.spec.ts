import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { anyFreePort } from '../../core/src/embedded/ports.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../../apps/api/test/api-test-app.js';
import { useClientApi } from '../../../test/support/client-api.js';
import { TaskforgeClient } from './client.js';
import {
  ApiError,
  ConflictError,
  NetworkError,
  NotFoundError,
  ServiceUnavailableError,
  TaskforgeError,
  UnauthorizedError,
  ValidationError,
} from './errors.js';

/** Rejects with what `promise` rejects with, failing when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/** Every error class from a real API answer (or a real failed connection). */
describe('TaskforgeClient errors', () => {
  describe('from an API on its database', () => {
    // A small body limit, so a 413 (no subclass: a plain ApiError) is easy to provoke.
    const api = useClientApi({ API_MAX_BODY_BYTES: '2048' });

    it('400: a ValidationError with the API message naming the field, and each field problem', async () => {
      const error = await rejection(api.client().submit({ task_name: 'x', max_retries: -1 }));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toBeInstanceOf(ApiError);
      expect(error).toBeInstanceOf(TaskforgeError);
      expect(error).toBeInstanceOf(Error);
      expect(error).toMatchObject({ name: 'ValidationError', status: 400, method: 'POST', message: 'max_retries must not be negative' });
      expect(error.fieldErrors).toEqual([{ field: 'max_retries', message: 'must not be negative' }]);
      expect(error.body).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    });

    it('400 on a batch: field errors carry the index of the bad item', async () => {
      const error = await rejection(api.client().submitMany([{ task_name: 'ok' }, { task_name: '' }]));
      expect(error).toBeInstanceOf(ValidationError);
      expect(error.fieldErrors).toEqual([{ index: 1, field: 'tasks.1.task_name', message: 'must not be empty' }]);
    });

    it('400 on a bad id or query parameter, named in the message', async () => {
      const badId = await rejection(api.client().get('not-a-uuid'));
      expect(badId).toBeInstanceOf(ValidationError);
      expect(badId.message).toMatch(/id/);
      const badLimit = await rejection(api.client().listPage({ limit: 0 }));
      expect(badLimit).toBeInstanceOf(ValidationError);
      expect(badLimit.message).toMatch(/^limit /);
      expect(badLimit.fieldErrors).toEqual([{ field: 'limit', message: expect.any(String) }]);
    });

    it('404: a NotFoundError for a task or schedule that does not exist', async () => {
      const id = randomUUID();
      const task = await rejection(api.client().get(id));
      expect(task).toBeInstanceOf(NotFoundError);
      expect(task).toMatchObject({ name: 'NotFoundError', status: 404, url: `${api.baseUrl}/tasks/${id}` });
      expect(task.message).toContain(id);
      expect(await rejection(api.client().schedules.get(id))).toBeInstanceOf(NotFoundError);
    });

    it('409: a ConflictError with the task status, for a task not in a state that allows it', async () => {
      const client = api.client();
      const { id } = await client.submit({ task_name: 'client-conflict' });
      await client.cancel(id);
      const error = await rejection(client.reschedule(id, new Date()));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error).toMatchObject({ name: 'ConflictError', status: 409, currentStatus: 'cancelled' });
      expect(error.message).toMatch(/cancelled/);
    });

    it('409 for a schedule name that is taken, without a task status', async () => {
      const client = api.client();
      const schedule = { name: `taken-${randomUUID()}`, cron: '0 * * * *', task_name: 'noop' };
      await client.schedules.create(schedule);
      const error = await rejection(client.schedules.create(schedule));
      expect(error).toBeInstanceOf(ConflictError);
      expect(error.currentStatus).toBeUndefined();
      expect(error.message).toMatch(/name/);
    });

    it('another status (413): a plain ApiError with the API message', async () => {
      const error = await rejection(api.client().submit({ task_name: 'big', payload: 'x'.repeat(4_000) }));
      expect(error.constructor).toBe(ApiError);
      expect(error).toMatchObject({ name: 'ApiError', status: 413 });
      expect(error.message).toMatch(/API_MAX_BODY_BYTES/);
    });

    it('an aborted request rejects with the abort, not as a network error', async () => {
      const error = await rejection(api.client().stats({ signal: AbortSignal.abort() }));
      expect(error).not.toBeInstanceOf(TaskforgeError);
      expect(error.name).toBe('AbortError');
    });
  });

  describe('from an API with API_TOKEN set', () => {
    const api = useClientApi({ API_TOKEN: 'client-secret-token-0123' });

    it('401: an UnauthorizedError without the token or with a wrong one; the right one passes', async () => {
      for (const token of [undefined, 'wrong']) {
        const error = await rejection(api.client({ token }).stats());
        expect(error).toBeInstanceOf(UnauthorizedError);
        expect(error).toMatchObject({ name: 'UnauthorizedError', status: 401 });
        expect(error.message).toMatch(/bearer token/);
      }
      expect((await api.client({ token: 'client-secret-token-0123' }).stats()).total).toBe(0);
      let asked = 0;
      const fromFunction = api.client({ token: () => (asked++, 'client-secret-token-0123') });
      await fromFunction.workers();
      expect(asked).toBe(1);
    });

    it('health needs no token', async () => {
      expect(await api.client().health()).toEqual({ status: 'ok' });
    });
  });

  describe('from an API whose database is unreachable', () => {
    let baseUrl = '';
    let close = async () => undefined as unknown;
    beforeAll(async () => {
      const app = await startApi(`postgres://127.0.0.1:${await anyFreePort()}/nowhere`);
      await app.listen({ port: 0, host: '127.0.0.1' });
      baseUrl = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
      close = () => app.close();
    });
    afterAll(() => close());

    it('503: a ServiceUnavailableError, from health and from any route', async () => {
      const client = new TaskforgeClient({ baseUrl });
      const health = await rejection(client.health());
      expect(health).toBeInstanceOf(ServiceUnavailableError);
      expect(health).toMatchObject({ name: 'ServiceUnavailableError', status: 503 });
      expect(health.message).toMatch(/^database unreachable/);
      const get = await rejection(client.get(randomUUID()));
      expect(get).toBeInstanceOf(ServiceUnavailableError);
      expect(get.message).toMatch(/database/);
    });
  });

  it('no answer: a NetworkError keeping the cause', async () => {
    const url = `http://127.0.0.1:${await anyFreePort()}`;
    const error = await rejection(new TaskforgeClient({ baseUrl: url }).get(randomUUID()));
    expect(error).toBeInstanceOf(NetworkError);
    expect(error).toBeInstanceOf(TaskforgeError);
    expect(error.name).toBe('NetworkError');
    expect(error.cause).toBeInstanceOf(Error);
    expect(error.message).toMatch(new RegExp(`^GET ${url}/tasks/.* failed: .*ECONNREFUSED`));
  });
});
