import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createExecutionsTable, executionsByTask } from '../../scripts/src/fixtures/executions-table.js';
import { waitFor } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startFixtureWorker, type WorkerProcess } from '../support/workers.js';

/**
 * Long enough that a survivor stalled by a loaded machine (the rest of the suite runs beside this
 * file) keeps its leases: this test is about the dead worker's tasks, and a survivor's lapsed
 * lease would be a rerun of another kind (covered by the lease specs). The orphans wait this long.
 */
const LEASE_MS = 5_000;
const SURVIVABLE_LEASES = { WORKER_LEASE_MS: String(LEASE_MS), WORKER_HEARTBEAT_INTERVAL_MS: '300' };

/**
 * Real worker processes, killed and stopped the hard way, against a real database. The test
 * timeout covers the waits inside (up to 2 minutes for the drain on a loaded machine).
 */
describe('crash safety with real worker processes', { timeout: 180_000 }, () => {
  const databases: TestDatabase[] = [];
  const workers: WorkerProcess[] = [];

  afterEach(() => {
    for (const worker of workers.splice(0)) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  });
  afterAll(async () => {
    for (const db of databases) await db.drop();
  });

  async function database(): Promise<TestDatabase> {
    const db = await createTestDatabase();
    databases.push(db);
    await createExecutionsTable(db.pool);
    return db;
  }

  async function statusCounts(db: TestDatabase): Promise<Record<string, number>> {
    const { rows } = await db.pool.query<{ status: string; n: number }>('select status, count(*)::int as n from tasks group by status');
    return Object.fromEntries(rows.map((row) => [row.status, row.n]));
  }

  it('finishes every task when one of three workers is SIGKILLed, rerunning only what the dead one was running', async () => {
    const db = await database();
    // The tasks go in once all three workers are up: added before, the first worker drained
    // them alone while a loaded machine was still starting w2, which then never had one to die with.
    for (const id of ['w1', 'w2', 'w3']) workers.push(await startFixtureWorker(db.url, id, SURVIVABLE_LEASES));
    const victim = workers[1]!;
    await db.pool.query(
      `insert into tasks (task_name, payload, max_retries)
       select 'record', '{"ms": 20}', 3 from generate_series(1, 3000)`,
    );

    // Kill w2 while it is running tasks, after the drain is well under way.
    await waitFor(
      'the drain to get going with w2 busy',
      async () => {
        const { rows } = await db.pool.query(
          `select count(*) filter (where status = 'completed')::int as done,
                count(*) filter (where status = 'running' and locked_by = 'w2')::int as on_victim
           from tasks`,
        );
        return rows[0].done >= 300 && rows[0].on_victim > 0 ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
    victim.child.kill('SIGKILL');
    await victim.exited;
    // What w2 sent before it died still runs to its end (a completion batch may commit after the
    // kill), so the orphans are read once its sessions are gone.
    await waitFor("the killed worker's database sessions to end", async () => {
      const { rows } = await db.pool.query(
        `select count(*)::int as n from pg_stat_activity where application_name = 'taskforge-worker w2'`,
      );
      return rows[0].n === 0;
    });
    const { rows: orphaned } = await db.pool.query<{ id: string }>(`select id from tasks where status = 'running' and locked_by = 'w2'`);
    const { rows: clock } = await db.pool.query<{ now: Date }>('select clock_timestamp() as now');
    const killedAt = clock[0]!.now.getTime();
    expect(orphaned.length).toBeGreaterThan(0);

    await waitFor('all 3,000 tasks to complete', async () => ((await statusCounts(db)).completed === 3_000 ? true : undefined), {
      timeoutMs: 120_000,
    });

    const orphanIds = new Set(orphaned.map((row) => row.id));
    const executions = await executionsByTask(db.pool);
    expect(executions.length).toBe(3_000);
    const reruns = executions.filter((task) => task.runs > 1);
    for (const task of reruns) {
      // Only a task the dead worker was running ran again, once, and its first run was there.
      expect(orphanIds.has(task.task_id)).toBe(true);
      expect(task.runs).toBe(2);
      expect(task.workers[0]).toBe('w2');
      expect(task.workers[1]).not.toBe('w2');
      // Recovered within the lease plus rescue and claim intervals (generous: a loaded CI machine).
      expect(task.starts[1]!.getTime() - killedAt).toBeLessThan(LEASE_MS + 10_000);
    }
    // Every orphan was finished by a survivor.
    const { rows: finished } = await db.pool.query(
      `select count(*)::int as n from tasks where id = any($1::uuid[]) and status = 'completed' and attempts = 2`,
      [[...orphanIds]],
    );
    expect(finished[0].n).toBe(orphanIds.size);
  });

  it('on SIGTERM lets short tasks finish, gives long ones back with their attempt unused, and exits 0', async () => {
    const db = await database();
    const { rows } = await db.pool.query<{ id: string; ms: number }>(
      `insert into tasks (task_name, payload, max_retries)
       select 'record', jsonb_build_object('ms', ms), 3 from unnest(array[300, 300, 600000, 600000]) as ms
       returning id, (payload->>'ms')::int as ms`,
    );
    const worker = await startFixtureWorker(db.url, 'graceful', {
      WORKER_MAX_CONCURRENT_TASKS: '4',
      WORKER_SHUTDOWN_TIMEOUT_MS: '2000',
    });
    workers.push(worker);
    await waitFor('all four tasks to run', async () => ((await statusCounts(db)).running === 4 ? true : undefined));

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toBe(0);

    const { rows: after } = await db.pool.query('select id, status, attempts, locked_by, scheduled_at <= now() as due from tasks');
    for (const task of after) {
      const ms = rows.find((row) => row.id === task.id)!.ms;
      if (ms === 300) expect(task).toMatchObject({ status: 'completed', attempts: 1 });
      else expect(task).toMatchObject({ status: 'pending', attempts: 0, locked_by: null, due: true });
    }
  });

  it('records what a misbehaving handler does as a failed attempt, and the worker stays up', async () => {
    const db = await database();
    const kinds = ['unhandled-rejection', 'uncaught-exception', 'sync-throw', 'throw-string', 'unstorable-result', 'hang'];
    const { rows } = await db.pool.query<{ id: string; kind: string }>(
      `insert into tasks (task_name, payload, max_retries, timeout_ms)
       select 'poison', jsonb_build_object('kind', kind), 0, case when kind = 'hang' then 500 end
         from unnest($1::text[]) as kind
       returning id, payload->>'kind' as kind`,
      [kinds],
    );
    const worker = await startFixtureWorker(db.url, 'poisoned');
    workers.push(worker);
    await waitFor('every poison task to fail', async () => ((await statusCounts(db)).failed === kinds.length ? true : undefined));

    const { rows: failed } = await db.pool.query<{ id: string; last_error: string }>('select id, last_error from tasks');
    const errorOf = (kind: string) => failed.find((task) => task.id === rows.find((row) => row.kind === kind)!.id)!.last_error;
    expect(errorOf('unhandled-rejection')).toBe('unhandled rejection in the handler: rejected and forgotten');
    expect(errorOf('uncaught-exception')).toBe('uncaught exception in the handler: thrown from a timer');
    expect(errorOf('sync-throw')).toBe('thrown before any promise');
    expect(errorOf('throw-string')).toBe('a plain string');
    expect(errorOf('unstorable-result')).toMatch(/^the handler's result cannot be stored as JSON/);
    expect(errorOf('hang')).toBe('timed out after 500 ms');

    // Still alive and working.
    expect(worker.child.exitCode).toBeNull();
    const { rows: next } = await db.pool.query<{ id: string }>(
      `insert into tasks (task_name, max_retries) values ('noop', 0) returning id`,
    );
    await waitFor('a noop after the poison to complete', async () => {
      const { rows: task } = await db.pool.query('select status from tasks where id = $1', [next[0]!.id]);
      return task[0].status === 'completed' ? true : undefined;
    });
    expect((await fetch(worker.healthUrl)).status).toBe(200);
  });
});
