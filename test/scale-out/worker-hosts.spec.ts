import { expect, it } from 'vitest';
import { waitFor } from '../support/processes.js';
import { submitTasks, timedRequest } from './support/api-client.js';
import { linesSaying } from './support/log-lines.js';
import { describeWithNamespaces } from './support/namespace-support.js';
import { useScaleOutHarness } from './support/scale-out-harness.js';
import { completedCount, executionsOf, recordsOf, taskOutcomes } from './support/task-outcomes.js';
import { Timeline } from './support/timeline.js';
import {
  allTakenOverFrom,
  completedAfter,
  heldBy,
  LONG_MS,
  pendingCount,
  roundOfTasks,
  tasksToWatchAtCut,
} from './support/worker-partition.js';

/** What the worker logs (Worker.abandon, Worker.writeOutcome) when a lease is gone. */
const LEASE_LOST = 'lost the lease on a task';
const COMPLETION_REFUSED = 'completion refused: this worker no longer holds the task';

/**
 * Three worker hosts and the API, each in a network namespace with its own address, on one
 * PostgreSQL reached over a bridge: the scale-out promise tested across a real (virtual) network.
 */
describeWithNamespaces('worker hosts on their own addresses', () => {
  const harness = useScaleOutHarness({ workers: 3 });

  it('drains 3,000 tasks submitted through the API on three hosts, each task run exactly once, every host doing a share', async () => {
    const { pool, apiUrl } = harness();
    const started = performance.now();
    const ids = await submitTasks(
      apiUrl,
      Array.from({ length: 3_000 }, () => ({ task_name: 'record', payload: { ms: 5 } })),
    );
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

  it('recovers the tasks of a worker host whose cable is cut, refuses its late completions, and takes it back when the cable returns', async () => {
    const { pool, apiUrl, network } = harness();
    const cutWorker = harness().worker('w2');
    // Rounds of six tasks, the next once the last is claimed, until w2 claims one and runs its
    // long task next to short ones. Small rounds leave the others room to take over at once
    // what w2 loses, so it is theirs to finish before w2's cable returns. (The check submits the
    // next round: which worker claims a round is a race, so it may take a few.)
    const ids: string[] = [];
    const watched = await waitFor(
      'w2 to run a long task that just started and two short ones about to finish',
      async () => {
        const found = await tasksToWatchAtCut(pool, 'w2', ids);
        if (found) return found;
        if ((await pendingCount(pool, ids)) === 0) ids.push(...(await submitTasks(apiUrl, roundOfTasks())));
        return undefined;
      },
      { timeoutMs: 60_000, intervalMs: 50 },
    );
    network.cut('w2');
    const timeline = new Timeline('scale-out (b): worker host w2 cut off', Date.now());
    timeline.mark('w2 cable cut (ip link set down)', timeline.startedAt);
    const held = await heldBy(pool, 'w2', ids);
    const heldIds = held.map((task) => task.id);
    for (const task of [...watched.long, ...watched.short]) expect(heldIds).toContain(task.id);

    // Everything w2 held returns to the queue once its lease expires and another worker takes
    // it; only then does the cable come back, so each completion w2 sent into the cut link
    // arrives after its task moved on.
    await waitFor('every task w2 held to be taken over by another worker', () => allTakenOverFrom(pool, 'w2', heldIds), {
      timeoutMs: 30_000,
      intervalMs: 50,
    });
    network.restore('w2');
    const restoredAt = Date.now();
    timeline.mark('w2 cable restored (ip link set up)', restoredAt);

    const heldIdSet = new Set(heldIds);
    const shortIds = new Set(watched.short.map((task) => task.id));
    const refused = await waitFor(
      'w2 to log that a completion it sent while cut off was refused',
      () => linesSaying(cutWorker.output(), COMPLETION_REFUSED).find((line) => shortIds.has(line.taskId as string)),
      { timeoutMs: 30_000, intervalMs: 100 },
    );
    timeline.mark('first late completion of w2 refused by the fence', refused.time);

    // w2 takes work again. Which worker claims a task is a race, so keep a few short tasks
    // queued until w2 has completed one it claimed after the cable returned.
    const allIds = [...ids];
    const rejoined = await waitFor(
      'w2 to complete a task it claimed after its cable returned',
      async () => {
        const completed = await completedAfter(pool, 'w2', allIds, new Date(restoredAt));
        if (completed) return completed;
        if ((await pendingCount(pool, allIds)) === 0) {
          allIds.push(
            ...(await submitTasks(
              apiUrl,
              Array.from({ length: 6 }, () => ({ task_name: 'record', payload: { ms: 200 } })),
            )),
          );
        }
        return undefined;
      },
      { timeoutMs: 45_000, intervalMs: 250 },
    );
    timeline.mark('w2 completes a task claimed after the cable returned', rejoined);
    const health = await waitFor(
      'w2 to report itself healthy',
      async () => {
        const answer = await timedRequest(cutWorker.healthUrl, {}, 10_000);
        return answer.status === 200 ? answer : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    timeline.mark('w2 /health answers 200 again', Date.now());
    await waitFor('every task to complete', async () => (await completedCount(pool, allIds)) === allIds.length, {
      timeoutMs: 60_000,
      intervalMs: 200,
    });

    // Each task completed exactly once, whatever happened to its attempts.
    const outcomes = await taskOutcomes(pool, allIds);
    for (const task of outcomes) expect(recordsOf(task, 'completed'), task.id).toHaveLength(1);
    // The watched tasks lapsed on w2 and were finished by the others; nothing w2 sent late counted.
    const byId = new Map(outcomes.map((task) => [task.id, task]));
    for (const { id } of [...watched.long, ...watched.short]) {
      const task = byId.get(id)!;
      expect(
        recordsOf(task, 'lease_expired').map((record) => record.worker_id),
        id,
      ).toContain('w2');
      expect(recordsOf(task, 'completed')[0]!.worker_id, id).not.toBe('w2');
    }
    // A task held at the cut other than the watched ones may have had its completion on the way
    // as the cable went: then it completed on w2 before the cable came back, and was never rescued.
    for (const id of heldIds) {
      const task = byId.get(id)!;
      const completion = recordsOf(task, 'completed')[0]!;
      if (completion.worker_id === 'w2') expect(new Date(completion.finished_at).getTime(), id).toBeLessThan(restoredAt);
      else
        expect(
          recordsOf(task, 'lease_expired').map((record) => record.worker_id),
          id,
        ).toContain('w2');
    }
    const rescues = outcomes
      .flatMap((task) => (heldIdSet.has(task.id) ? recordsOf(task, 'lease_expired') : []))
      .filter((record) => record.worker_id === 'w2')
      .map((record) => new Date(record.finished_at).getTime());
    timeline.mark("first of w2's tasks rescued (lease expired)", Math.min(...rescues));
    timeline.mark("last of w2's tasks rescued", Math.max(...rescues));
    const finishedByOthers = outcomes
      .filter((task) => heldIdSet.has(task.id))
      .map((task) => new Date(recordsOf(task, 'completed')[0]!.finished_at).getTime());
    timeline.mark("last of w2's tasks completed by another worker", Math.max(...finishedByOthers));

    // w2 said it lost the leases: its watchdog (or the returning heartbeat) gave up the long task.
    const lost = linesSaying(cutWorker.output(), LEASE_LOST).filter((line) => heldIdSet.has(line.taskId as string));
    expect(lost.map((line) => line.taskId)).toEqual(expect.arrayContaining(watched.long.map((task) => task.id)));
    timeline.mark('w2 logs it lost the lease of a task it was running', Math.min(...lost.map((line) => line.time)));
    expect(health.body).toMatchObject({ status: 'ok', database: 'ok', worker_id: 'w2' });
    expect((health.body as { leases_lost: number }).leases_lost).toBeGreaterThanOrEqual(watched.long.length);
    expect(cutWorker.child.exitCode).toBeNull();
    timeline.print();
    console.log(
      `  w2 held ${held.length} tasks at the cut (${held.filter((task) => task.ms === LONG_MS).length} long); ` +
        `refused completions logged: ${linesSaying(cutWorker.output(), COMPLETION_REFUSED).length}; ` +
        `leases lost logged: ${lost.length} (${[...new Set(lost.map((line) => line.reason))].join('; ')})`,
    );
  });
});
