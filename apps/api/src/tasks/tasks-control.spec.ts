import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { claimTasks, createLogger, failTask, Worker } from '@taskforge/core';
import { CANCEL_CHANNEL, TASKS_CHANNEL } from '../../../../packages/core/src/notify/channel.js';
import { afterEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait-for.js';
import { ISO, TASK_FIELDS, WORKER, expectError, useTasksApi } from '../../test/tasks-api-fixtures.js';

type State = 'pending' | 'running' | 'completed' | 'failed' | 'failed-for-good' | 'cancelled';
const statusOf = (state: State) => (state === 'failed-for-good' ? 'failed' : state);

describe('tasks API: retry, run-now and force cancel', () => {
  const { api, uniqueName, send, createTask, getTask, taskIn } = useTasksApi();
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });

  /** Every payload NOTIFYed on `channel` from now on. */
  async function notices(channel: string): Promise<string[]> {
    const payloads: string[] = [];
    const client = new pg.Client({ connectionString: api.db.url });
    await client.connect();
    client.on('notification', (message) => payloads.push(message.payload ?? ''));
    await client.query(`listen ${channel}`);
    cleanups.push(() => client.end());
    return payloads;
  }

  /** Sends a 409-expected request and checks the task did not change. */
  async function expectConflict(method: 'POST' | 'DELETE', url: string, id: string, state: State) {
    const before = await getTask(id);
    const error = expectError(await send(method, url), 409, `status is ${statusOf(state)}`);
    expect(error).toMatchObject({ error: 'Conflict', status: statusOf(state) });
    expect(await getTask(id)).toEqual(before);
  }

  describe('POST /tasks/:id/retry', () => {
    it.each(['failed', 'failed-for-good', 'cancelled'] as const)(
      'puts a %s task back: 200 with the task pending, due now, attempts reset, and wakes the workers',
      async (state) => {
        const hints = await notices(TASKS_CHANNEL);
        const id = await taskIn(state);
        const before = await getTask(id);
        const res = await send('POST', `/tasks/${id}/retry`);
        expect(res.statusCode, res.body).toBe(200);
        const task = res.json();
        expect(Object.keys(task).sort()).toEqual(TASK_FIELDS);
        expect(task).toMatchObject({
          id,
          status: 'pending',
          attempts: 0,
          next_retry_at: null,
          finished_at: null,
          locked_by: null,
          attempt_history: before.attempt_history,
        });
        expect(task.scheduled_at).toMatch(ISO);
        expect(Date.parse(task.scheduled_at)).toBeLessThanOrEqual(Date.parse(task.updated_at));
        expect(await getTask(id)).toEqual(task);
        await waitFor('a "tasks added" hint', () => hints.length > 0);
      },
    );

    it.each(['pending', 'running', 'completed'] as const)('answers 409 for a %s task and leaves it unchanged', async (state) => {
      const id = await taskIn(state);
      await expectConflict('POST', `/tasks/${id}/retry`, id, state);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const unknown = randomUUID();
      expectError(await send('POST', `/tasks/${unknown}/retry`), 404, unknown);
      expectError(await send('POST', '/tasks/not-a-uuid/retry'), 400, 'id must be a UUID');
    });
  });

  describe('POST /tasks/:id/run-now', () => {
    it('makes a pending task scheduled for later due now: 200 with the task', async () => {
      const id = await createTask({ task_name: uniqueName(), scheduled_at: '2040-01-01T00:00:00Z' });
      const before = await getTask(id);
      const res = await send('POST', `/tasks/${id}/run-now`);
      expect(res.statusCode, res.body).toBe(200);
      const task = res.json();
      expect(task).toEqual({ ...before, scheduled_at: expect.stringMatching(ISO), updated_at: expect.stringMatching(ISO) });
      expect(Date.parse(task.scheduled_at)).toBeLessThanOrEqual(Date.parse(task.updated_at));
      expect(await getTask(id)).toEqual(task);
    });

    it('skips the backoff of a failed task awaiting its retry', async () => {
      const id = await taskIn('failed');
      const res = await send('POST', `/tasks/${id}/run-now`);
      expect(res.statusCode, res.body).toBe(200);
      const task = res.json();
      expect(task).toMatchObject({ status: 'failed', attempts: 1, next_retry_at: task.scheduled_at });
      expect(Date.parse(task.scheduled_at)).toBeLessThanOrEqual(Date.parse(task.updated_at));
    });

    it.each(['running', 'completed', 'failed-for-good', 'cancelled'] as const)(
      'answers 409 for a %s task and leaves it unchanged',
      async (state) => {
        const id = await taskIn(state);
        await expectConflict('POST', `/tasks/${id}/run-now`, id, state);
      },
    );

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const unknown = randomUUID();
      expectError(await send('POST', `/tasks/${unknown}/run-now`), 404, unknown);
      expectError(await send('POST', '/tasks/123/run-now'), 400, 'id must be a UUID');
    });
  });

  describe('DELETE /tasks/:id?force=true', () => {
    it('cancels a running task: 204, the task cancelled with a cancelled attempt, and its worker NOTIFYed', async () => {
      const cancels = await notices(CANCEL_CHANNEL);
      const id = await taskIn('running');
      const res = await send('DELETE', `/tasks/${id}?force=true`);
      expect(res.statusCode, res.body).toBe(204);
      expect(res.body).toBe('');
      const task = await getTask(id);
      expect(task).toMatchObject({ status: 'cancelled', locked_by: null, locked_at: null, lease_expires_at: null });
      expect(task.finished_at).toMatch(ISO);
      expect(task.attempt_history).toEqual([
        {
          attempt: 1,
          worker_id: WORKER,
          started_at: task.started_at,
          finished_at: expect.stringMatching(ISO),
          outcome: 'cancelled',
          error: null,
        },
      ]);
      await waitFor('the cancel notice', () => cancels.includes(id));
    });

    it.each(['pending', 'failed'] as const)('cancels a %s task too', async (state) => {
      const id = await taskIn(state);
      expect((await send('DELETE', `/tasks/${id}?force=true`)).statusCode).toBe(204);
      expect(await getTask(id)).toMatchObject({ status: 'cancelled', next_retry_at: null, finished_at: expect.stringMatching(ISO) });
    });

    it.each(['completed', 'failed-for-good', 'cancelled'] as const)(
      'answers 409 for a %s task even with force, and leaves it unchanged',
      async (state) => {
        const id = await taskIn(state);
        await expectConflict('DELETE', `/tasks/${id}?force=true`, id, state);
      },
    );

    it('keeps the plain cancel with force=false: a pending task is cancelled, a running one is a 409', async () => {
      const pending = await taskIn('pending');
      expect((await send('DELETE', `/tasks/${pending}?force=false`)).statusCode).toBe(204);
      expect((await getTask(pending)).status).toBe('cancelled');
      const running = await taskIn('running');
      await expectConflict('DELETE', `/tasks/${running}?force=false`, running, 'running');
    });

    it.each(['yes', '1', 'TRUE', '', 'true&force=true'])('answers 400 naming force for force=%s and changes nothing', async (value) => {
      const id = await taskIn('running');
      const before = await getTask(id);
      const error = expectError(await send('DELETE', `/tasks/${id}?force=${value}`), 400, 'force must be true or false');
      expect(error.errors).toEqual([{ field: 'force', message: 'must be true or false' }]);
      expect(await getTask(id)).toEqual(before);
    });

    it('answers 404 for an unknown id and 400 for a malformed one', async () => {
      const unknown = randomUUID();
      expectError(await send('DELETE', `/tasks/${unknown}?force=true`), 404, unknown);
      expectError(await send('DELETE', '/tasks/nope?force=true'), 400, 'id must be a UUID');
    });
  });

  describe('GET /tasks/:id: result and attempt history', () => {
    it("shows the handler's result and every attempt a real worker ran, with error messages and stacks", async () => {
      const name = uniqueName('flaky');
      const worker = new Worker({
        pool: api.db.pool,
        workerId: 'api-spec-worker',
        concurrency: 1,
        pollIntervalMs: 20,
        retry: { baseDelayMs: 1, maxDelayMs: 5 },
        logger: createLogger({ level: 'silent', name: 'spec' }),
        handlers: {
          names: () => [name],
          get:
            () =>
            async (_payload, _id, { attempt }) => {
              if (attempt === 1) throw new Error('first try fails');
              return { answer: 42, attempt };
            },
        },
      });
      worker.start();
      cleanups.push(() => worker.stop(100));
      const id = await createTask({ task_name: name, max_retries: 2 });

      const task = await waitFor('the task completed', async () => {
        const current = await getTask(id);
        return current.status === 'completed' && current;
      });
      expect(task.result).toEqual({ answer: 42, attempt: 2 });
      expect(task.attempt_history).toEqual([
        {
          attempt: 1,
          worker_id: 'api-spec-worker',
          started_at: expect.stringMatching(ISO),
          finished_at: expect.stringMatching(ISO),
          outcome: 'failed',
          error: { message: 'first try fails', stack: expect.stringMatching(/^Error: first try fails\n\s+at /) },
        },
        {
          attempt: 2,
          worker_id: 'api-spec-worker',
          started_at: task.started_at,
          finished_at: task.finished_at,
          outcome: 'completed',
          error: null,
        },
      ]);
    });

    it('shows a failure recorded without a stack with stack null', async () => {
      const name = uniqueName();
      const id = await createTask({ task_name: name, max_retries: 0 });
      await claimTasks(api.db.pool, { workerId: WORKER, taskNames: [name], limit: 1 });
      await failTask(api.db.pool, { id, attempt: 1, workerId: WORKER, error: 'no stack', retryDelayMs: 0 });
      expect((await getTask(id)).attempt_history).toEqual([
        expect.objectContaining({ attempt: 1, outcome: 'failed', error: { message: 'no stack', stack: null } }),
      ]);
    });
  });
});
