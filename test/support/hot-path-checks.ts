import type { Pool } from 'pg';
import { runOnItsOwnConnection } from '../../scripts/src/scratch-database.js';
import { expect, it } from 'vitest';
import { claimTasks } from '../../packages/core/src/tasks/claim-tasks.js';
import { completeTasks, type TaskAttempt } from '../../packages/core/src/tasks/complete-tasks.js';
import { failTasks } from '../../packages/core/src/tasks/fail-task.js';
import { releaseTasks } from '../../packages/core/src/tasks/release-tasks.js';
import { renewLeases } from '../../packages/core/src/tasks/renew-leases.js';
import { rescueExpiredTasks } from '../../packages/core/src/tasks/rescue-expired-tasks.js';
import { buffersOf, collect, describePlan, plansOf, scansOf, type ExecutedPlan, type PlanNode } from './hot-plans.js';
import type { TestDatabase } from './test-database.js';

/** The task name the hot path works on, and the worker holding its running tasks. */
export const HOT_NAME = 'job';
export const HOT_WORKER = 'worker-1';
/** Rows per claim, and per batch of completions, failures, renewals and releases. */
export const BATCH = 50;
/** Expired leases the rescue finds among the live ones. */
export const EXPIRED = 5;
/**
 * Tasks other workers are running meanwhile: a plan that walks every running task (through
 * tasks_lease_idx) instead of looking its batch up by id reads all of them, far past the bound.
 */
const OTHERS_RUNNING = 10_000;
/**
 * PL/pgSQL plans a function's statement afresh for its first five calls, then may switch to a
 * generic plan, cached for the session, when it looks no dearer: the claim is run more often
 * than that, and every run's plan is checked.
 */
const CLAIM_CALLS = 7;

/**
 * The buffer bound, from measurements (PostgreSQL 15 and 17, all three scenarios): every row a
 * hot statement writes costs 15–23 buffers, renewed leases included (its heap tuple, the new
 * version of it, and an entry in each index, each found from the root: 3–4 buffers an index;
 * none of these updates is HOT, as each changes an indexed column or a partial index's predicate),
 * plus under 100 for the statement. The bound leaves about twice that. A table of 1,000,000 rows
 * is 12,000–30,000 pages. The bound alone would not catch every walk: rows inserted together sit
 * together, and an index scan over them touches one buffer per heap page, not per row (10,000
 * running tasks walked in tasks_lease_idx cost 210 buffers). So the shapes are checked too: the
 * index each scan uses, and how many rows it returned.
 */
const BUFFERS_PER_ROW = 40;
const BUFFERS_FIXED = 200;

interface LiveSet {
  /** Running, held by HOT_WORKER on attempt 1, with retries left. */
  retrying: TaskAttempt[];
  /** Running, held by HOT_WORKER on attempt 1, with none left (max_retries 0). */
  lastTry: TaskAttempt[];
}

/**
 * Runs a bulk load on a connection of its own: a million rows take longer (5–20 s on a loaded
 * 2-core machine) than the test pool's 10 s query timeout allows.
 */
export function load(url: string, statement: string): Promise<void> {
  return runOnItsOwnConnection(url, statement);
}

/**
 * Stops autovacuum from analyzing tasks (so statistics stay as wrong as the scenario makes them,
 * on a server with autovacuum on too), then analyzes it: the lying moment.
 */
export async function analyzeNowAndNeverAgain(pool: Pool): Promise<void> {
  await pool.query('alter table tasks set (autovacuum_enabled = off)');
  await pool.query('analyze tasks');
}

/**
 * The hot path's own rows, added after the scenario's ANALYZE so that the statistics know
 * nothing of them: `backlog` due tasks of HOT_NAME (priorities 1 to 3), 4 × BATCH running ones with retries left and
 * BATCH without (all held by HOT_WORKER, leases live for an hour), OTHERS_RUNNING held by another
 * worker, and EXPIRED running ones whose worker stopped heartbeating a minute ago.
 */
export async function addLiveSet(pool: Pool, backlog: number): Promise<LiveSet> {
  await pool.query(
    `insert into tasks (task_name, max_retries, priority, scheduled_at)
     select $1, 3, 1 + g % 3, now() - g * interval '1 ms' from generate_series(1, $2::int) g`,
    [HOT_NAME, backlog],
  );
  const running = async (count: number, maxRetries: number, worker: string, leaseSeconds: number): Promise<TaskAttempt[]> => {
    const { rows } = await pool.query<{ id: string }>(
      `insert into tasks (task_name, max_retries, status, attempts, locked_by, locked_at, started_at, lease_expires_at)
       select $1, $2, 'running', 1, $3, now(), now(), now() + $4 * interval '1 second' from generate_series(1, $5::int)
       returning id`,
      [HOT_NAME, maxRetries, worker, leaseSeconds, count],
    );
    return rows.map(({ id }) => ({ id, attempt: 1 }));
  };
  const retrying = await running(4 * BATCH, 3, HOT_WORKER, 3_600);
  const lastTry = await running(BATCH, 0, HOT_WORKER, 3_600);
  await running(OTHERS_RUNNING, 3, 'worker-2', 3_600);
  await running(EXPIRED, 3, 'worker-lost', -60);
  return { retrying, lastTry };
}

/**
 * One `it` per hot statement: it runs core's own function, and checks the plan PostgreSQL ran
 * (its shape, the index it used) and that the buffers it touched stay within a bound
 * proportional to the rows it handled, never to the table. Each runs in a transaction rolled
 * back after it, so all see the same table.
 */
export function itKeepsEveryHotPlan(db: TestDatabase, live: () => LiveSet): void {
  it('claims through an ordered scan of tasks_claim_idx, stopping after the limit', async () => {
    const plans = await claimPlans(db.pool, () => ({ workerId: HOT_WORKER, taskNames: [HOT_NAME], limit: BATCH }));
    for (const { plan } of plans) {
      const due = cte(plan, 'CTE due');
      expect(scansOf(due), describePlan(plan)).toEqual([['Index Scan', 'tasks_claim_idx']]);
      expect(due['Node Type']).toBe('Limit');
      expect(due.Plans?.[0]?.['Node Type']).toBe('LockRows');
      expect(collect(due, (node) => node['Index Name'] === 'tasks_claim_idx')[0]!['Actual Rows']).toBe(BATCH);
      expectUpdatedById(plan);
      expectWithinBound(plan, BATCH);
    }
  });

  it('claims per name (a cap, handler maxRetries) through an ordered scan of tasks_claim_name_idx', async () => {
    const capped = 20;
    const plans = await claimPlans(db.pool, () => ({
      workerId: HOT_WORKER,
      taskNames: [HOT_NAME],
      limit: BATCH,
      perNameLimits: [[HOT_NAME, capped]],
      handlerMaxRetries: [[HOT_NAME, 5]],
    }));
    for (const { plan } of plans) {
      expect(scansOf(cte(plan, 'CTE capped')), describePlan(plan)).toEqual([['Index Scan', 'tasks_claim_name_idx']]);
      expect(cte(plan, 'CTE capped')['Actual Rows']).toBe(capped);
      expect(collect(plan, (node) => node['Index Name'] === 'tasks_claim_name_idx')[0]!['Actual Rows']).toBe(capped);
      expectUpdatedById(plan);
      expectWithinBound(plan, capped);
    }
  });

  it('completes a batch by primary key, one lookup per id', async () => {
    const tasks = live().retrying.slice(0, BATCH);
    const plan = await onlyPlan(db.pool, (client) => completeTasks(client, { workerId: HOT_WORKER, tasks }), BATCH);
    expectLookedUpById(plan, BATCH);
  });

  it('fails a batch with retries left by primary key', async () => {
    const tasks = live()
      .retrying.slice(0, BATCH)
      .map((task) => ({ ...task, error: 'boom', retryDelayMs: 1_000 }));
    const plan = await onlyPlan(db.pool, (client) => failTasks(client, { workerId: HOT_WORKER, tasks }), BATCH);
    expectLookedUpById(plan, BATCH);
  });

  it('fails a batch on its last try (failed for good) by primary key', async () => {
    const tasks = live().lastTry.map((task) => ({ ...task, error: 'boom', retryDelayMs: 1_000 }));
    const plan = await onlyPlan(db.pool, (client) => failTasks(client, { workerId: HOT_WORKER, tasks }), BATCH);
    expectLookedUpById(plan, BATCH);
  });

  // A heartbeat carries a worker's running tasks: its concurrency, BATCH here. Far more ids on a
  // table analyzed while empty can tip the planner to one Seq Scan (250 ids on 50,000 rows did):
  // cheaper by its cost model than 250 lookups, and never on a large table, whose pages it counts.
  it("renews a worker's leases (the heartbeat) by primary key", async () => {
    const tasks = live().retrying.slice(2 * BATCH, 3 * BATCH);
    const plan = await onlyPlan(db.pool, (client) => renewLeases(client, { workerId: HOT_WORKER, leaseMs: 30_000, tasks }), tasks.length);
    expectLookedUpById(plan, tasks.length);
  });

  it('releases a batch by primary key', async () => {
    const tasks = live().retrying.slice(BATCH, 2 * BATCH);
    const plan = await onlyPlan(db.pool, (client) => releaseTasks(client, { workerId: HOT_WORKER, tasks }), BATCH);
    expectLookedUpById(plan, BATCH);
  });

  it('rescues the expired leases through tasks_lease_idx, reading only those', async () => {
    const plan = await onlyPlan(db.pool, (client) => rescueExpiredTasks(client), EXPIRED, [
      'Sort',
      'Bitmap Heap Scan',
      'Bitmap Index Scan',
    ]);
    const expired = cte(plan, 'CTE expired');
    // An ordered Index Scan, or (statistics saying nothing runs) a bitmap scan plus a sort: both
    // with the lease's expiry as their index condition, so either reads the expired leases only.
    const indexScans = collect(expired, (node) => node['Index Name'] !== undefined);
    expect(
      indexScans.map((node) => [node['Node Type'], node['Index Name']]),
      describePlan(plan),
    ).toEqual([[expect.stringMatching(/^(Index Scan|Bitmap Index Scan)$/), 'tasks_lease_idx']]);
    expect(indexScans[0]!['Actual Rows'], describePlan(plan)).toBe(EXPIRED);
    expectUpdatedById(plan);
    expectWithinBound(plan, EXPIRED);
  });
}

/** The claim's inner statement, as its PL/pgSQL function ran it, once per call. */
async function claimPlans(pool: Pool, params: () => Parameters<typeof claimTasks>[1]): Promise<ExecutedPlan[]> {
  const plans = await plansOf(pool, async (client) => {
    for (let call = 0; call < CLAIM_CALLS; call += 1) expect(await claimTasks(client, params())).not.toEqual([]);
  });
  const inner = plans.filter(({ queryText }) => /^\s*with\b/i.test(queryText));
  expect(inner).toHaveLength(CLAIM_CALLS);
  for (const { plan } of inner) expectNoCollapse(plan);
  return inner;
}

/** The plan of the one statement `work` sent, which must have changed `rows` rows. */
async function onlyPlan(pool: Pool, work: Parameters<typeof plansOf>[1], rows: number, allowed: string[] = []): Promise<PlanNode> {
  const plans = await plansOf(pool, work);
  expect(plans).toHaveLength(1);
  const { plan } = plans[0]!;
  expect(plan['Node Type']).toBe('ModifyTable');
  expect(plan['Actual Rows'], describePlan(plan)).toBe(rows);
  expectNoCollapse(plan, allowed);
  return plan;
}

/** What a plan that reads a whole table or backlog looks like: none of it, anywhere. */
function expectNoCollapse(plan: PlanNode, allowed: string[] = []): void {
  const reading = collect(
    plan,
    (node) =>
      /^(Seq Scan|Bitmap Heap Scan|Bitmap Index Scan|Sort|Hash|Materialize)$/.test(node['Node Type']) &&
      !allowed.includes(node['Node Type']),
  );
  expect(
    reading.map((node) => node['Node Type']),
    describePlan(plan),
  ).toEqual([]);
}

/** The fenced statements: a nested loop over the caller's list, each id an index lookup in tasks_pkey. */
function expectLookedUpById(plan: PlanNode, rows: number): void {
  const join = collect(plan, (node) => node['Node Type'] === 'Nested Loop');
  expect(join, describePlan(plan)).toHaveLength(1);
  expect(scansOf(plan), describePlan(plan)).toEqual([['Index Scan', 'tasks_pkey']]);
  const [lookup] = collect(plan, (node) => node['Index Name'] === 'tasks_pkey');
  expect(lookup!['Actual Loops']).toBe(rows);
  expectWithinBound(plan, rows);
}

/** The update finds the rows its CTE picked by id, in tasks_pkey. */
function expectUpdatedById(plan: PlanNode): void {
  const outside = (plan.Plans ?? []).filter((child) => !child['Subplan Name']?.startsWith('CTE'));
  expect(outside.flatMap(scansOf), describePlan(plan)).toEqual([['Index Scan', 'tasks_pkey']]);
}

/** HOT_PLANS_LOG=1 prints each checked plan with its buffers: how the bound's figures were measured. */
function expectWithinBound(plan: PlanNode, rows: number): void {
  if (process.env.HOT_PLANS_LOG) console.log(`${rows} rows: ${buffersOf(plan)} buffers\n${describePlan(plan)}`);
  expect(buffersOf(plan), describePlan(plan)).toBeLessThanOrEqual(BUFFERS_PER_ROW * rows + BUFFERS_FIXED);
}

function cte(plan: PlanNode, name: string): PlanNode {
  const [found] = collect(plan, (node) => node['Subplan Name'] === name);
  expect(found, describePlan(plan)).toBeDefined();
  return found!;
}
