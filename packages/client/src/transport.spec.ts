import { describe, expect, it } from 'vitest';
import { TaskforgeClient } from './client.js';
import { TaskforgeError } from './errors.js';
import { queryString, type FetchFunction } from './transport.js';

/** What the client sends, seen by a stand-in fetch (the API's side is in the other client specs). */
describe('the client transport', () => {
  function recording(answer = { status: 200, body: '{"status":"ok"}' }) {
    const calls: { url: string; init: Parameters<FetchFunction>[1]; self: unknown }[] = [];
    const fetch = function (this: unknown, url: string, init: Parameters<FetchFunction>[1]) {
      calls.push({ url, init, self: this });
      return Promise.resolve({ status: answer.status, statusText: '', ok: answer.status < 300, text: async () => answer.body });
    };
    return { fetch, calls };
  }

  it('builds query strings: lists repeated, Dates as ISO 8601, empty values left out', () => {
    expect(queryString({ status: ['pending', 'failed'], limit: 5, cursor: undefined, order: '', at: new Date(0), force: false })).toBe(
      '?status=pending&status=failed&limit=5&at=1970-01-01T00%3A00%3A00.000Z&force=false',
    );
    expect(queryString({})).toBe('');
  });

  it('sends the token, the extra headers and JSON, to the base URL without a doubled slash', async () => {
    const { fetch, calls } = recording({ status: 201, body: '{"id":"x"}' });
    const client = new TaskforgeClient({ baseUrl: 'http://api.test/', token: 't0k', headers: { 'x-trace': '1' }, fetch });
    expect(await client.submit({ task_name: 'a' })).toEqual({ id: 'x', created: true });
    expect(calls[0]!.url).toBe('http://api.test/tasks');
    expect(calls[0]!.init).toMatchObject({
      method: 'POST',
      body: '{"task_name":"a"}',
      headers: { accept: 'application/json', 'content-type': 'application/json', authorization: 'Bearer t0k', 'x-trace': '1' },
    });
    // Called as a plain function: a browser's fetch refuses to run as another object's method.
    expect(calls[0]!.self).toBeUndefined();
  });

  it('uses relative URLs with an empty base URL (a page of the same origin)', async () => {
    const { fetch, calls } = recording();
    await new TaskforgeClient({ baseUrl: '', fetch }).health();
    expect(calls[0]!.url).toBe('/monitor/health');
    expect(calls[0]!.init.headers.authorization).toBeUndefined();
  });

  it('refuses a 2xx answer that is not JSON', async () => {
    const { fetch } = recording({ status: 200, body: '<html>proxy</html>' });
    await expect(new TaskforgeClient({ baseUrl: '', fetch }).stats()).rejects.toThrow(TaskforgeError);
  });
});
