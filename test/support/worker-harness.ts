import { pino } from 'pino';
import { afterEach } from 'vitest';
import { addTask, getTask, Worker, type Task, type WorkerOptions } from '../../packages/core/src/index.js';
import { gate } from './task-functions.js';
import { useTestDatabase } from './test-database.js';
import { waitFor } from './wait-for.js';

const silent = pino({ level: 'silent' });

/**
 * Leases short enough that "3× the lease" runs in seconds, long enough (10 heartbeats) that a
 * loaded machine does not lose a lease to a late heartbeat.
 */
export const FAST_LEASES = { leaseMs: 1_000, heartbeatIntervalMs: 100, rescueIntervalMs: 100 } as const;

export interface AddOptions {
  payload?: unknown;
  maxRetries?: number;
  timeoutMs?: number;
  priority?: number;
}

/**
 * What the Worker specs share: a database of their own (emptied before each test), workers
 * with quick test settings that are always stopped after each test, gates for handlers that
 * ignore their signal (always opened after each test), and task helpers.
 */
export function useWorkerHarness(defaults: Partial<WorkerOptions> = {}) {
  const db = useTestDatabase({ truncateEach: true });
  const started: Worker[] = [];
  const gates: Array<ReturnType<typeof gate>> = [];

  afterEach(async () => {
    for (const held of gates.splice(0)) held.open();
    // A test that failed half-way must not leave a worker claiming the next test's tasks.
    await Promise.all(started.splice(0).map((worker) => worker.stop(100)));
  });

  function startWorker(options: Partial<WorkerOptions> & Pick<WorkerOptions, 'handlers'>): Worker {
    const worker = new Worker({
      pool: db.pool,
      workerId: 'test-worker',
      concurrency: 4,
      pollIntervalMs: 20,
      retry: { baseDelayMs: 1, maxDelayMs: 5 },
      logger: silent,
      ...defaults,
      ...options,
    });
    started.push(worker);
    worker.start();
    return worker;
  }

  /** A gate that is opened after the test even if the test fails first. */
  function heldGate() {
    const held = gate();
    gates.push(held);
    return held;
  }

  function add(name: string, options: AddOptions = {}): Promise<Task> {
    return addTask(db.pool, {
      task_name: name,
      payload: options.payload,
      max_retries: options.maxRetries ?? 0,
      timeout_ms: options.timeoutMs,
      priority: options.priority,
    });
  }

  async function statusOf(id: string): Promise<string> {
    return (await getTask(db.pool, id)).status;
  }

  async function waitUntilStatus(id: string, status: string): Promise<Task> {
    await waitFor(`task ${id} ${status}`, async () => (await statusOf(id)) === status);
    return getTask(db.pool, id);
  }

  /** Waits until the task has failed for good (no retry scheduled). */
  async function waitUntilFailedForGood(id: string): Promise<Task> {
    await waitFor(`task ${id} failed for good`, async () => {
      const task = await getTask(db.pool, id);
      return task.status === 'failed' && task.next_retry_at === null;
    });
    return getTask(db.pool, id);
  }

  async function countWhere(condition: string): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(`select count(*)::int as n from tasks where ${condition}`);
    return rows[0]!.n;
  }

  return { db, startWorker, heldGate, add, statusOf, waitUntilStatus, waitUntilFailedForGood, countWhere };
}
