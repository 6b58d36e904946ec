import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useClientApi } from '../../../test/support/client-api.js';
import { waitFor as eventually } from '../../../test/support/wait-for.js';
import { startFixtureWorker, type WorkerProcess } from '../../../test/support/workers.js';
import { ConflictError, WaitTimeoutError } from './errors.js';

/**
 * What needs a worker: waitFor resolving as tasks reach a final state, a 409 for a finished
 * task, and the monitor routes seeing the work. A real worker process (built-in handlers
 * noop, sleep, fail) runs the tasks; the client talks to the API over HTTP.
 */
describe('TaskforgeClient with a worker', () => {
  const api = useClientApi();
  let worker: WorkerProcess | undefined;

  beforeAll(async () => {
    worker = await startFixtureWorker(api.db.url, 'client-spec-worker');
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
  });

  // Generous: the machine is shared, and the worker polls every 50 ms at best.
  const WAIT = { timeoutMs: 30_000, intervalMs: 50 };

  it('waitFor resolves with a completed task', async () => {
    const client = api.client();
    const { id } = await client.submit({ task_name: 'noop', payload: { n: 1 } });
    const task = await client.waitFor(id, WAIT);
    expect(task).toMatchObject({ id, status: 'completed', attempts: 1 });
    expect(task.finished_at).toEqual(expect.any(String));
  });

  it('waitFor waits past the retries of a failing task until it failed for good', async () => {
    const client = api.client();
    const { id } = await client.submit({ task_name: 'fail', payload: { message: 'on purpose' }, max_retries: 2 });
    const task = await client.waitFor(id, WAIT);
    expect(task).toMatchObject({ status: 'failed', attempts: 3, next_retry_at: null, last_error: 'on purpose' });
    expect(task.attempt_history.map((attempt) => attempt.outcome)).toEqual(['failed', 'failed', 'failed']);
  });

  it('waitFor resolves with a running task cancelled (force) while it waits', async () => {
    const client = api.client();
    const { id } = await client.submit({ task_name: 'sleep', payload: { ms: 60_000 } });
    const waiting = client.waitFor(id, WAIT);
    await eventually('the task to run', async () => (await client.get(id)).status === 'running', { timeoutMs: 30_000 });
    await client.cancel(id, { force: true });
    expect(await waiting).toMatchObject({ id, status: 'cancelled' });
  });

  it('waitFor rejects with WaitTimeoutError when the task is not final in time, carrying the task as last seen', async () => {
    const client = api.client();
    const { id } = await client.submit({ task_name: 'no-worker-has-this', max_retries: 0 });
    const started = Date.now();
    const error = await client.waitFor(id, { timeoutMs: 300, intervalMs: 50 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect(error).toMatchObject({ name: 'WaitTimeoutError', taskId: id, timeoutMs: 300, lastSeen: { id, status: 'pending' } });
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('waitFor rejects with the reason when its signal aborts', async () => {
    const client = api.client();
    const { id } = await client.submit({ task_name: 'no-worker-has-this' });
    const controller = new AbortController();
    const waiting = client.waitFor(id, { ...WAIT, signal: controller.signal });
    controller.abort(new Error('no longer needed'));
    await expect(waiting).rejects.toThrow('no longer needed');
  });

  it('cancel of a completed task is a ConflictError naming its status; retry runs it again', async () => {
    const client = api.client();
    const { id } = await client.submit({ task_name: 'noop' });
    await client.waitFor(id, WAIT);
    const error = await client.cancel(id).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConflictError);
    expect(error).toMatchObject({ status: 409, currentStatus: 'completed' });
    const failed = await client.submit({ task_name: 'fail', max_retries: 0 });
    await client.waitFor(failed.id, WAIT);
    expect((await client.retry(failed.id)).status).toBe('pending');
    expect(await client.waitFor(failed.id, WAIT)).toMatchObject({ status: 'failed', attempts: 1 });
  });

  it('workers, stats and throughput show the worker and the work it did', async () => {
    const client = api.client();
    const { id } = await client.submit({ task_name: 'noop' });
    await client.waitFor(id, WAIT);
    const workers = await eventually('the worker to be listed', async () => {
      const live = await client.workers();
      return live.some((listed) => listed.id === 'client-spec-worker') ? live : undefined;
    });
    expect(workers.find((listed) => listed.id === 'client-spec-worker')).toMatchObject({ task_names: expect.arrayContaining(['noop']) });
    const stats = await client.stats();
    expect(stats.completed).toBeGreaterThanOrEqual(1);
    expect(stats.by_task_name.noop?.completed).toBeGreaterThanOrEqual(1);
    const minutes = await client.throughput(5);
    expect(minutes).toHaveLength(5);
    expect(minutes.reduce((sum, minute) => sum + minute.completed, 0)).toBeGreaterThanOrEqual(1);
    expect(await client.throughput()).toHaveLength(60);
  });
});
