import { expect, it } from 'vitest';
import { waitFor } from '../support/processes.js';
import { submitTasks } from './support/api-client.js';
import { describeWithNamespaces } from './support/namespace-support.js';
import { useScaleOutHarness } from './support/scale-out-harness.js';
import { completedCount, executionsOf, recordsOf, taskOutcomes } from './support/task-outcomes.js';

/**
 * Three worker hosts and the API, each in a network namespace with its own address, on one
 * PostgreSQL reached over a bridge: the scale-out promise tested across a real (virtual) network.
 */
describeWithNamespaces('worker hosts on their own addresses', () => {
  const harness = useScaleOutHarness({ workers: 3 });

  it('drains 3,000 tasks submitted through the API on three hosts, each task run exactly once, every host doing a share', async () => {
    const { pool, apiUrl } = harness();
    const started = performance.now();
    const ids = await submitTasks(apiUrl, Array.from({ length: 3_000 }, () => ({ task_name: 'record', payload: { ms: 5 } })));
    await waitFor('all 3,000 tasks to complete', async () => (await completedCount(pool, ids)) === 3_000, {
      timeoutMs: 90_000,
      intervalMs: 200,
    });
    const drainMs = Math.round(performance.now() - started);

    const executions = await executionsOf(pool, ids);
    expect(executions).toHaveLength(3_000);
    expect(executions.filter((task) => task.workers.length !== 1)).toEqual([]);
    for (const task of await taskOutcomes(pool, ids)) {
      expect(task.attempts).toBe(1);
      expect(task.history.map((record) => record.outcome)).toEqual(['completed']);
    }
    const shares = new Map<string, number>();
    for (const task of executions) shares.set(task.workers[0]!, (shares.get(task.workers[0]!) ?? 0) + 1);
    console.log(`scale-out (a): 3,000 tasks drained in ${drainMs} ms; runs per host: ${JSON.stringify(Object.fromEntries(shares))}`);
    expect([...shares.keys()].sort()).toEqual(['w1', 'w2', 'w3']);
    // A real share each, not a token one; generous, as a loaded machine may starve one host a while.
    for (const runs of shares.values()) expect(runs).toBeGreaterThanOrEqual(150);
  });
});
