import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { handlers, untilAborted } from '../../../../test/support/task-functions.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { FAST_LEASES, useWorkerHarness } from '../../../../test/support/worker-harness.js';
import { CANCEL_CHANNEL } from '../notify/channel.js';
import { forceCancelTask } from '../tasks/force-cancel-task.js';
import { getTask } from '../tasks/get-task.js';
import { TaskCancelledError } from './task-run.js';

/** Leases and heartbeats far longer than any test: whatever aborts a task here, it is not the heartbeat. */
const NO_HEARTBEAT = { leaseMs: 600_000, heartbeatIntervalMs: 300_000, rescueIntervalMs: 300_000 } as const;

/** A logger keeping every line, to check what the worker said (and did not say). */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  const messages = (level: number) => lines.filter((line) => line.level === level).map((line) => line.msg);
  return { logger, info: () => messages(30), warnings: () => messages(40), errors: () => messages(50) };
}

describe('Worker: tasks cancelled while running', () => {
  const { db, startWorker, heldGate, add, waitUntilStatus } = useWorkerHarness();

  /** Waits until the worker's listener connection has run its LISTEN on the cancel channel. */
  async function waitUntilListeningForCancels(): Promise<void> {
    await waitFor('the listener LISTENing for cancels', async () => {
      const { rows } = await db.pool.query<{ query: string }>(
        `select query from pg_stat_activity
          where datname = current_database() and application_name = 'taskforge-listener' and state = 'idle'`,
      );
      return rows.some((row) => row.query === `listen ${CANCEL_CHANNEL}`);
    });
  }

  /** A handler `hold` that waits on its signal, recording the reason it aborted with. */
  function holdingHandlers() {
    const seen = { started: [] as string[], abortReason: undefined as unknown };
    const lookup = handlers({
      hold: (_payload, id, { signal }) => {
        seen.started.push(id);
        signal.addEventListener('abort', () => (seen.abortReason = signal.reason), { once: true });
        return untilAborted(signal);
      },
      quick: async () => 'next',
    });
    return { seen, lookup };
  }

  it('aborts the handler with TaskCancelledError on the NOTIFY, frees its slot, writes nothing and runs the next task', async () => {
    const log = recordingLogger();
    const { seen, lookup } = holdingHandlers();
    const worker = startWorker({ ...NO_HEARTBEAT, concurrency: 1, logger: log.logger, handlers: lookup });
    await waitUntilListeningForCancels();
    const task = await add('hold', { maxRetries: 3 });
    await waitFor('handler started', () => seen.started.length === 1);

    const cancelled = await forceCancelTask(db.pool, task.id);
    await waitFor('handler aborted', () => seen.abortReason !== undefined);
    expect(seen.abortReason).toBeInstanceOf(TaskCancelledError);
    expect((seen.abortReason as TaskCancelledError).taskId).toBe(task.id);
    await waitFor('slot freed', () => worker.runningCount === 0);

    // The freed slot (concurrency 1) runs the next task; by then any write would have happened.
    const next = await add('quick');
    await waitUntilStatus(next.id, 'completed');
    const row = await getTask(db.pool, task.id);
    expect(row).toEqual(cancelled);
    expect(row.attempt_history).toEqual([expect.objectContaining({ attempt: 1, worker_id: 'test-worker', outcome: 'cancelled' })]);
    expect(worker.counters).toMatchObject({ processed: 1, completed: 1, failed: 0, leasesLost: 0 });
    expect(log.info()).toContain('task cancelled while running');
    expect(log.warnings()).toEqual([]);
  });

  it('still aborts it, with TaskCancelledError, at the next heartbeat when the NOTIFY never arrives', async () => {
    const log = recordingLogger();
    const { seen, lookup } = holdingHandlers();
    const worker = startWorker({ ...FAST_LEASES, listen: false, concurrency: 1, logger: log.logger, handlers: lookup });
    const task = await add('hold', { maxRetries: 3 });
    await waitFor('handler started', () => seen.started.length === 1);

    const cancelled = await forceCancelTask(db.pool, task.id);
    await waitFor('handler aborted', () => seen.abortReason !== undefined);
    expect(seen.abortReason).toBeInstanceOf(TaskCancelledError);
    await waitFor('slot freed', () => worker.runningCount === 0);

    const next = await add('quick');
    await waitUntilStatus(next.id, 'completed');
    expect(await getTask(db.pool, task.id)).toEqual(cancelled);
    expect(worker.counters).toMatchObject({ processed: 1, completed: 1, leasesLost: 0 });
    expect(log.info()).toContain('task cancelled while running');
    expect(log.warnings()).toEqual([]);
  });

  it('frees the slot of a handler that ignores its signal, and drops its late result', async () => {
    const log = recordingLogger();
    const hang = heldGate();
    let returned = false;
    const worker = startWorker({
      ...NO_HEARTBEAT,
      concurrency: 1,
      logger: log.logger,
      handlers: handlers({
        stubborn: async () => {
          await hang.opened;
          returned = true;
          return 'too late';
        },
        quick: async () => 'next',
      }),
    });
    await waitUntilListeningForCancels();
    const task = await add('stubborn', { maxRetries: 3 });
    await waitFor('task running', async () => (await getTask(db.pool, task.id)).status === 'running');

    const cancelled = await forceCancelTask(db.pool, task.id);
    await waitFor('slot freed', () => worker.runningCount === 0);
    hang.open();
    await waitFor('stubborn handler returned', () => returned);
    const next = await add('quick');
    await waitUntilStatus(next.id, 'completed');

    expect(await getTask(db.pool, task.id)).toEqual(cancelled);
    expect(worker.counters).toMatchObject({ processed: 1, completed: 1, failed: 0 });
    expect(log.warnings()).toEqual([]);
  });

  it('says "cancelled", not "lease lost", when the cancel beats the completion of a handler that just finished', async () => {
    const log = recordingLogger();
    const worker = startWorker({
      ...NO_HEARTBEAT,
      logger: log.logger,
      handlers: handlers({
        // Cancelled from inside: the handler returns right after the cancel commits, so the
        // completion is refused or the NOTIFY stops the run first; either way nothing is written.
        'cancels-itself': async (_payload, id) => {
          await forceCancelTask(db.pool, id);
          return 'done anyway';
        },
      }),
    });
    await waitUntilListeningForCancels();
    const task = await add('cancels-itself', { maxRetries: 3 });

    await waitFor('the cancel reported', () => log.info().includes('task cancelled while running'));
    const row = await getTask(db.pool, task.id);
    expect(row).toMatchObject({ status: 'cancelled', result: null });
    expect(row.attempt_history.map((record) => record.outcome)).toEqual(['cancelled']);
    expect(worker.counters).toMatchObject({ completed: 0, failed: 0, leasesLost: 0 });
    expect(log.warnings()).toEqual([]);
  });

  it('never starts a claimed task that is cancelled while it waits in the buffer', async () => {
    const { seen, lookup } = holdingHandlers();
    const worker = startWorker({ ...NO_HEARTBEAT, concurrency: 1, prefetch: 5, handlers: lookup });
    await waitUntilListeningForCancels();
    // Quick tasks first: the worker buffers claimed tasks only once it has seen handlers finish fast.
    const warmUp = await Promise.all([1, 2, 3].map(() => add('quick')));
    for (const task of warmUp) await waitUntilStatus(task.id, 'completed');
    const first = await add('hold', { priority: 1 });
    const buffered = await add('hold');
    await waitFor('first started', () => seen.started.length === 1);
    await waitFor('second claimed', async () => (await getTask(db.pool, buffered.id)).status === 'running');
    expect(seen.started).toEqual([first.id]);

    await forceCancelTask(db.pool, buffered.id);
    await forceCancelTask(db.pool, first.id);
    await waitFor('slot freed', () => worker.runningCount === 0);
    const next = await add('quick');
    await waitUntilStatus(next.id, 'completed');
    expect(seen.started).toEqual([first.id]);
    expect(await getTask(db.pool, buffered.id)).toMatchObject({
      status: 'cancelled',
      attempt_history: [expect.objectContaining({ outcome: 'cancelled' })],
    });
  });
});
