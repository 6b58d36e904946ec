import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useClientApi } from '../../../test/support/client-api.js';
import type { FetchFunction } from './transport.js';
import { MAX_BATCH_SIZE } from './client.js';
import type { Task } from './types.js';

/** The task routes through TaskforgeClient, against the real API over HTTP. */
describe('TaskforgeClient tasks', () => {
  const api = useClientApi();

  /** A client whose fetch counts the requests it sends, by "METHOD path". */
  function countingClient() {
    const sent: string[] = [];
    const counting: FetchFunction = (url, init) => {
      sent.push(`${init.method} ${new URL(url).pathname}`);
      return fetch(url, init);
    };
    return { client: api.client({ fetch: counting }), sent };
  }

  const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

  describe('submit', () => {
    it('stores a task (created) and get returns it with the fields given', async () => {
      const client = api.client();
      const submitted = await client.submit({
        task_name: 'client-submit',
        payload: { a: [1, 2] },
        priority: 7,
        max_retries: 2,
        timeout_ms: 5_000,
      });
      expect(submitted.created).toBe(true);
      const task = await client.get(submitted.id);
      expect(task).toMatchObject({
        id: submitted.id,
        task_name: 'client-submit',
        payload: { a: [1, 2] },
        status: 'pending',
        priority: 7,
        max_retries: 2,
        timeout_ms: 5_000,
        attempts: 0,
        attempt_history: [],
      });
    });

    it('returns the task holding an idempotency key, not created, on the second submit', async () => {
      const client = api.client();
      const key = unique('key');
      const first = await client.submit({ task_name: 'client-idempotent', idempotency_key: key });
      const second = await client.submit({ task_name: 'client-idempotent', idempotency_key: key });
      expect(first.created).toBe(true);
      expect(second).toEqual({ id: first.id, created: false });
      expect((await client.get(first.id)).idempotency_key).toBe(key);
    });
  });

  describe('submitMany', () => {
    it('splits a list over the batch limit into batches and returns every id in order', async () => {
      const { client, sent } = countingClient();
      const name = unique('many');
      const count = 2 * MAX_BATCH_SIZE + 345;
      const created = await client.submitMany(Array.from({ length: count }, (_, i) => ({ task_name: name, payload: { i } })));
      expect(sent).toEqual(['POST /tasks/batch', 'POST /tasks/batch', 'POST /tasks/batch']);
      expect(created).toHaveLength(count);
      expect(new Set(created.map((task) => task.id)).size).toBe(count);
      const { rows } = await api.db.pool.query<{ id: string; i: number }>(
        `select id, (payload->>'i')::int as i from tasks where task_name = $1`,
        [name],
      );
      const positionById = new Map(rows.map((row) => [row.id, row.i]));
      expect(created.map((task) => positionById.get(task.id))).toEqual(Array.from({ length: count }, (_, i) => i));
    });

    it('takes a smaller batch size, and sends nothing for an empty list', async () => {
      const { client, sent } = countingClient();
      const created = await client.submitMany(
        Array.from({ length: 25 }, () => ({ task_name: 'client-small-batches' })),
        { batchSize: 10 },
      );
      expect(created).toHaveLength(25);
      expect(sent).toHaveLength(3);
      expect(await client.submitMany([])).toEqual([]);
      expect(sent).toHaveLength(3);
      await expect(client.submitMany([{ task_name: 'x' }], { batchSize: MAX_BATCH_SIZE + 1 })).rejects.toThrow(RangeError);
    });
  });

  describe('list', () => {
    it('iterates over every matching task across pages, each once, in keyset order', async () => {
      const { client, sent } = countingClient();
      const name = unique('listed');
      const created = await client.submitMany(Array.from({ length: 23 }, (_, i) => ({ task_name: name, payload: { i } })));
      await client.submit({ task_name: unique('other') });
      const seen: Task[] = [];
      for await (const task of client.list({ task_name: name, order: 'asc', limit: 5 })) seen.push(task);
      // One INSERT gives the batch one created_at; the keyset breaks that tie by id.
      expect(seen).toHaveLength(23);
      expect(seen.map((task) => task.id)).toEqual(created.map((task) => task.id).sort());
      expect(sent.filter((request) => request === 'GET /tasks')).toHaveLength(5);
    });

    it('filters by several statuses and by time, with Dates or strings', async () => {
      const client = api.client();
      const name = unique('filtered');
      const before = new Date(Date.now() - 1_000);
      const [pending, cancelled, future] = await client.submitMany([
        { task_name: name },
        { task_name: name },
        { task_name: name, scheduled_at: '2099-01-01T00:00:00Z' },
      ]);
      await client.cancel(cancelled!.id);
      const ids = async (query: Parameters<typeof client.list>[0]) => {
        const found: string[] = [];
        for await (const task of client.list({ task_name: name, ...query })) found.push(task.id);
        return found.sort();
      };
      expect(await ids({ status: ['pending', 'cancelled'] })).toEqual([pending!.id, cancelled!.id, future!.id].sort());
      expect(await ids({ status: 'cancelled' })).toEqual([cancelled!.id]);
      expect(await ids({ created_after: before, scheduled_after: '2098-01-01T00:00:00Z' })).toEqual([future!.id]);
      expect(await ids({ created_before: before })).toEqual([]);
    });

    it('listPage returns one page and the cursor of the next', async () => {
      const client = api.client();
      const name = unique('paged');
      await client.submitMany(Array.from({ length: 3 }, () => ({ task_name: name })));
      const first = await client.listPage({ task_name: name, limit: 2 });
      expect(first.tasks).toHaveLength(2);
      expect(first.next_cursor).toEqual(expect.any(String));
      const second = await client.listPage({ task_name: name, limit: 2, cursor: first.next_cursor! });
      expect(second.tasks).toHaveLength(1);
      expect(second.next_cursor).toBeNull();
      expect(second.tasks[0]!.id).not.toBe(first.tasks[0]!.id);
    });
  });

  describe('control', () => {
    it('cancel makes a pending task cancelled, retry queues it again with its attempts reset', async () => {
      const client = api.client();
      const { id } = await client.submit({ task_name: 'client-cancel' });
      await expect(client.cancel(id)).resolves.toBeUndefined();
      expect((await client.get(id)).status).toBe('cancelled');
      const retried = await client.retry(id);
      expect(retried).toMatchObject({ id, status: 'pending', attempts: 0 });
      await client.cancel(id, { force: true });
      expect((await client.get(id)).status).toBe('cancelled');
    });

    it('reschedule takes a Date or an ISO string, and runNow makes the task due at once', async () => {
      const client = api.client();
      const { id } = await client.submit({ task_name: 'client-reschedule' });
      const at = new Date('2031-05-06T07:08:09.000Z');
      expect((await client.reschedule(id, at)).scheduled_at).toBe(at.toISOString());
      expect((await client.reschedule(id, '2032-01-01T10:00:00+02:00')).scheduled_at).toBe('2032-01-01T08:00:00.000Z');
      const ranNow = await client.runNow(id);
      expect(ranNow.status).toBe('pending');
      expect(Date.parse(ranNow.scheduled_at)).toBeLessThanOrEqual(Date.now() + 1_000);
    });
  });
});
