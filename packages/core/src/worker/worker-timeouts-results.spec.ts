import { setImmediate as nextTurn, setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { handlers, untilAborted } from '../../../../test/support/task-functions.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { FAST_LEASES, useWorkerHarness } from '../../../../test/support/worker-harness.js';
import { getTask } from '../tasks/get-task.js';
import { TaskTimeoutError } from './task-run.js';

describe('Worker: timeouts, results and shutdown', () => {
  const { db, startWorker, heldGate, add, waitUntilStatus, waitUntilFailedForGood } = useWorkerHarness(FAST_LEASES);

  describe('timeouts', () => {
    it('fails an attempt that runs past timeout_ms at once and frees the slot, even if the handler ignores its signal', async () => {
      const hang = heldGate();
      let hanging = false;
      let hungSignal: AbortSignal | undefined;
      const slow = await add('hang', { timeoutMs: 100, priority: 10 });
      const quick = await add('quick', { priority: 0 });
      const worker = startWorker({
        concurrency: 1,
        handlers: handlers({
          hang: async (_payload, _id, { signal }) => {
            hungSignal = signal;
            hanging = true;
            await hang.opened;
            hanging = false;
            return 'finished much too late';
          },
          quick: async () => 'quick result',
        }),
      });

      // The only slot was freed by the timeout, while the first handler still hangs.
      await waitUntilStatus(quick.id, 'completed');
      expect(hanging).toBe(true);
      const timedOut = await getTask(db.pool, slow.id);
      expect(timedOut).toMatchObject({
        status: 'failed',
        attempts: 1,
        last_error: 'timed out after 100 ms',
        next_retry_at: null,
        locked_by: null,
        lease_expires_at: null,
        result: null,
      });
      expect(timedOut.finished_at).toBeInstanceOf(Date);
      expect(hungSignal!.aborted).toBe(true);
      expect(hungSignal!.reason).toBeInstanceOf(TaskTimeoutError);
      expect(hungSignal!.reason).toMatchObject({ name: 'TaskTimeoutError', timeoutMs: 100, message: 'timed out after 100 ms' });

      // The handler's late success does not overwrite the recorded timeout.
      hang.open();
      await waitFor('hung handler returned', () => !hanging);
      const after = await add('quick');
      await waitUntilStatus(after.id, 'completed');
      expect(await getTask(db.pool, slow.id)).toEqual(timedOut);
      expect(worker.counters).toMatchObject({ failed: 1, completed: 2, leasesLost: 0 });
    });

    it('hands a cooperative handler a TaskTimeoutError as the signal reason, and retries a timed-out attempt like any failure', async () => {
      const task = await add('flaky', { timeoutMs: 100, maxRetries: 1 });
      const reasons: unknown[] = [];
      startWorker({
        handlers: handlers({
          flaky: async (_payload, _id, { signal, attempt }) => {
            if (attempt === 2) return 'second time lucky';
            try {
              return await untilAborted(signal);
            } catch (error) {
              reasons.push(error);
              throw error;
            }
          },
        }),
      });

      const row = await waitUntilStatus(task.id, 'completed');
      expect(row).toMatchObject({ attempts: 2, result: 'second time lucky', last_error: null });
      expect(reasons).toHaveLength(1);
      expect(reasons[0]).toBeInstanceOf(TaskTimeoutError);
      expect((reasons[0] as TaskTimeoutError).timeoutMs).toBe(100);
    });

    it('applies defaultTimeoutMs to tasks without timeout_ms, and a task’s own timeout_ms wins over it', async () => {
      const withoutLimit = await add('wait-for-abort');
      const ownLimit = await add('takes-300ms', { timeoutMs: 10_000 });
      let signalReason: unknown;
      startWorker({
        defaultTimeoutMs: 100,
        handlers: handlers({
          'wait-for-abort': async (_payload, _id, { signal }) => {
            try {
              return await untilAborted(signal);
            } catch (error) {
              signalReason = error;
              throw error;
            }
          },
          // Longer than the default limit, far shorter than its own.
          'takes-300ms': async () => {
            await sleep(300);
            return 'in time';
          },
        }),
      });

      const failed = await waitUntilFailedForGood(withoutLimit.id);
      expect(failed.last_error).toBe('timed out after 100 ms');
      expect(signalReason).toBeInstanceOf(TaskTimeoutError);
      expect(await waitUntilStatus(ownLimit.id, 'completed')).toMatchObject({ result: 'in time', attempts: 1 });
    });

    it('applies the lookup’s timeoutMsFor over defaultTimeoutMs, and a task’s own timeout_ms over both', async () => {
      const typeLimited = await add('type-limited');
      const ownLimit = await add('type-limited', { timeoutMs: 250 });
      const defaultLimited = await add('default-limited');
      const lookup = handlers({
        'type-limited': async (_payload, _id, { signal }) => untilAborted(signal),
        'default-limited': async (_payload, _id, { signal }) => untilAborted(signal),
      });
      startWorker({
        defaultTimeoutMs: 400,
        handlers: { ...lookup, timeoutMsFor: (name) => (name === 'type-limited' ? 100 : undefined) },
      });

      expect((await waitUntilFailedForGood(typeLimited.id)).last_error).toBe('timed out after 100 ms');
      expect((await waitUntilFailedForGood(ownLimit.id)).last_error).toBe('timed out after 250 ms');
      expect((await waitUntilFailedForGood(defaultLimited.id)).last_error).toBe('timed out after 400 ms');
    });
  });

  describe('results', () => {
    it('stores what the handler returns as result: object, array, string, number, boolean; undefined and null as null', async () => {
      const results: Record<string, unknown> = {
        object: { a: 1, nested: { b: [1, 2], s: 'x' } },
        array: [1, 'two', null, { three: 3 }],
        string: 'text with "quotes", a \\ backslash, ü and ✓',
        number: 42,
        float: -1.5,
        boolean: false,
        null: null,
        undefined: undefined,
        date: new Date('2024-01-02T03:04:05.000Z'),
      };
      const ids = new Map<string, string>();
      for (const kind of Object.keys(results)) ids.set(kind, (await add('produce', { payload: { kind } })).id);
      const worker = startWorker({
        handlers: handlers({ produce: async (payload) => results[(payload as { kind: string }).kind] }),
      });

      await waitFor('all completed', async () => {
        const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from tasks where status = 'completed'`);
        return rows[0]!.n === ids.size;
      });
      const stored = async (kind: string) => (await getTask(db.pool, ids.get(kind)!)).result;
      expect(await stored('object')).toEqual(results.object);
      expect(await stored('array')).toEqual(results.array);
      expect(await stored('string')).toBe(results.string);
      expect(await stored('number')).toBe(42);
      expect(await stored('float')).toBe(-1.5);
      expect(await stored('boolean')).toBe(false);
      expect(await stored('null')).toBeNull();
      expect(await stored('undefined')).toBeNull();
      // As JSON.stringify turns it: an ISO string.
      expect(await stored('date')).toBe('2024-01-02T03:04:05.000Z');
      await waitFor('counters updated', () => worker.counters.completed === ids.size);
      expect(worker.counters.failed).toBe(0);
    });

    it('fails the attempt for good, retries left or not, when the result is circular, holds a BigInt, or is over resultMaxBytes', async () => {
      const circular: Record<string, unknown> = { name: 'loop' };
      circular.self = circular;
      const results: Record<string, unknown> = {
        circular,
        bigint: { n: 10n },
        big: 'x'.repeat(100),
        fits: 'y'.repeat(62), // 64 bytes of JSON with its quotes: exactly the limit
      };
      const ids = new Map<string, string>();
      for (const kind of Object.keys(results)) ids.set(kind, (await add('produce', { payload: { kind }, maxRetries: 3 })).id);
      let runs = 0;
      const worker = startWorker({
        resultMaxBytes: 64,
        handlers: handlers({
          produce: async (payload) => {
            runs += 1;
            return results[(payload as { kind: string }).kind];
          },
        }),
      });

      const circularRow = await waitUntilFailedForGood(ids.get('circular')!);
      const bigintRow = await waitUntilFailedForGood(ids.get('bigint')!);
      const bigRow = await waitUntilFailedForGood(ids.get('big')!);
      for (const row of [circularRow, bigintRow, bigRow]) {
        expect(row).toMatchObject({ attempts: 1, max_retries: 3, result: null, next_retry_at: null, locked_by: null });
        expect(row.finished_at).toBeInstanceOf(Date);
      }
      expect(circularRow.last_error).toMatch(/^the handler's result cannot be stored as JSON: .*circular/i);
      expect(bigintRow.last_error).toMatch(/^the handler's result cannot be stored as JSON: .*BigInt/);
      expect(bigRow.last_error).toBe("the handler's result is 102 bytes of JSON, over the 64-byte limit");
      expect(await waitUntilStatus(ids.get('fits')!, 'completed')).toMatchObject({ result: results.fits, attempts: 1 });
      await waitFor('counters updated', () => worker.counters.processed === 4);
      expect(worker.counters).toMatchObject({ completed: 1, failed: 3 });
      expect(runs).toBe(4);
    });

    it('measures resultMaxBytes in UTF-8 bytes, not characters', async () => {
      const fits = await add('produce', { payload: 'éééé' }); // "éééé": 2 + 4×2 = 10 bytes
      const over = await add('produce', { payload: 'ééééé' }); // 12 bytes, though only 7 characters
      startWorker({ resultMaxBytes: 10, handlers: handlers({ produce: async (payload) => payload }) });
      expect(await waitUntilStatus(fits.id, 'completed')).toMatchObject({ result: 'éééé' });
      expect((await waitUntilFailedForGood(over.id)).last_error).toBe("the handler's result is 12 bytes of JSON, over the 10-byte limit");
    });

    // Valid JSON that jsonb refuses: the write is rejected as data, which no retry can fix.
    for (const [what, unstorable] of [
      ['a string holding U+0000', { text: 'a\u0000b' }],
      ['a lone surrogate', '\ud800'],
    ] as const) {
      it(`fails the attempt for good, saying why, when the result holds ${what}`, async () => {
        const task = await add('produce', { maxRetries: 0 });
        startWorker({ handlers: handlers({ produce: async () => unstorable }) });
        const row = await waitUntilFailedForGood(task.id);
        expect(row.last_error).toMatch(/result/);
        expect(row.last_error).not.toMatch(/lease expired/);
      });
    }
  });

  describe('shutdown', () => {
    it('stop(0) releases the running task (pending, attempts 0) and does not hang on a handler that ignores the abort', async () => {
      const task = await add('stubborn', { maxRetries: 0 });
      const hang = heldGate();
      let handlerStarted = false;
      let handlerReturned = false;
      let signalSeen: AbortSignal | undefined;
      const worker = startWorker({
        handlers: handlers({
          stubborn: async (_payload, _id, { signal }) => {
            handlerStarted = true;
            signalSeen = signal;
            await hang.opened;
            handlerReturned = true;
            return 'after shutdown';
          },
        }),
      });
      await waitFor('handler started', () => handlerStarted);

      const before = Date.now();
      await worker.stop(0);
      expect(Date.now() - before).toBeLessThan(5_000);

      expect(handlerReturned).toBe(false);
      expect(signalSeen!.aborted).toBe(true);
      expect(worker.runningCount).toBe(0);
      const released = await getTask(db.pool, task.id);
      expect(released).toMatchObject({
        status: 'pending',
        attempts: 0,
        last_error: null,
        locked_by: null,
        locked_at: null,
        lease_expires_at: null,
        next_retry_at: null,
        result: null,
      });

      // The handler's late return writes nothing.
      hang.open();
      await waitFor('handler returned', () => handlerReturned);
      await nextTurn();
      expect(await getTask(db.pool, task.id)).toEqual(released);
      expect(worker.counters).toMatchObject({ processed: 0, completed: 0, failed: 0, leasesLost: 0 });

      // Its attempt was given back: another worker runs it as attempt 1 (max_retries 0 allows just one).
      const next = startWorker({ workerId: 'next-worker', handlers: handlers({ stubborn: async () => 'done' }) });
      expect(await waitUntilStatus(task.id, 'completed')).toMatchObject({ attempts: 1, result: 'done' });
      expect(next.counters.rescued).toBe(0);
    });
  });
});
