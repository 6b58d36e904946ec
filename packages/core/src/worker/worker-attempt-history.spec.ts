import { describe, expect, it } from 'vitest';
import { handlers } from '../../../../test/support/task-functions.js';
import { useWorkerHarness } from '../../../../test/support/worker-harness.js';
import { getTask } from '../tasks/get-task.js';

describe('Worker: attempt history', () => {
  const { db, startWorker, add, waitUntilStatus } = useWorkerHarness();

  it("records every attempt with the handler's error message and stack, then the completion and its result", async () => {
    const task = await add('flaky', { maxRetries: 5 });
    startWorker({
      workerId: 'history-worker',
      handlers: handlers({
        flaky: async (_payload, _id, { attempt }) => {
          if (attempt < 3) throw new Error(`kaput ${attempt}`);
          return { attempt };
        },
      }),
    });

    const row = await waitUntilStatus(task.id, 'completed');
    expect(row.result).toEqual({ attempt: 3 });
    expect(row.attempt_history.map((record) => [record.attempt, record.worker_id, record.outcome])).toEqual([
      [1, 'history-worker', 'failed'],
      [2, 'history-worker', 'failed'],
      [3, 'history-worker', 'completed'],
    ]);
    for (const record of row.attempt_history.slice(0, 2)) {
      expect(record.error!.message).toBe(`kaput ${record.attempt}`);
      expect(record.error!.stack).toMatch(new RegExp(`^Error: kaput ${record.attempt}\\n\\s+at .*worker-attempt-history\\.spec\\.ts`));
    }
    expect(row.attempt_history[2]!.error).toBeNull();
    expect(await getTask(db.pool, task.id)).toEqual(row);
  });
});
