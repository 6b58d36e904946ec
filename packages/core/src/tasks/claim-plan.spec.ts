import { describe, expect, it } from 'vitest';
import { useTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';

/** Migration 003's claim: a worker without per-type settings calls it. */
const PLAIN_CLAIM = 'taskforge_claim_tasks(text, text[], integer, double precision)';
/** Migration 006's claim: a worker with caps or handler maxRetries calls it. */
const PER_NAME_CLAIM = 'taskforge_claim_tasks(text, text[], integer, double precision, text[], integer[], text[], integer[])';

/** Each function parameter, and the bind parameter it becomes in the planned statement. */
const PARAMETERS: Array<[string, string]> = [
  ['worker_id', '$1'],
  ['task_names', '$2::text[]'],
  ['max_tasks', '$3::int'],
  ['lease_ms', '$4::float8'],
  ['capped_names', '$5::text[]'],
  ['capped_limits', '$6::int[]'],
  ['retry_names', '$7::text[]'],
  ['retry_limits', '$8::int[]'],
];

const PLAIN_VALUES = ['explain', ['job-1', 'job-2'], 10, 30_000];
const PER_NAME_VALUES = [...PLAIN_VALUES, ['job-3'], [2], ['job-1'], [5]];

describe('the claim plan', () => {
  // Each case gets a database of its own: statistics left by other tests (or by autovacuum)
  // would hide what a never-analyzed table does.
  describe('on a table never analyzed', () => {
    const db = useTestDatabase();
    it('reads the due tasks through the claim indexes in order, without sorting (the planner would otherwise sort the whole backlog)', async () => {
      await insertBacklog(db);
      expectOrderedIndexScan(await planClaim(db, PLAIN_CLAIM, PLAIN_VALUES), 'CTE due', 'tasks_claim_idx');
      expectPerNamePlan(await planClaim(db, PER_NAME_CLAIM, PER_NAME_VALUES));
    });
  });

  describe('on an analyzed table', () => {
    const db = useTestDatabase();
    it('reads the due tasks through the claim indexes in order, without sorting, once the table is analyzed', async () => {
      await insertBacklog(db);
      await db.pool.query('analyze tasks');
      expectOrderedIndexScan(await planClaim(db, PLAIN_CLAIM, PLAIN_VALUES), 'CTE due', 'tasks_claim_idx');
      expectPerNamePlan(await planClaim(db, PER_NAME_CLAIM, PER_NAME_VALUES));
    });
  });
});

/**
 * Plans the claim exactly as the deployed function runs it: its statement from
 * pg_get_functiondef, its parameters as bind parameters, its planner settings in force.
 */
async function planClaim(db: TestDatabase, signature: string, values: unknown[]): Promise<PlanNode> {
  const { rows: def } = await db.pool.query(`select pg_get_functiondef($1::regprocedure) as source`, [signature]);
  const source = def[0].source as string;
  const settings = [...source.matchAll(/SET (\w+) TO 'off'/gi)].map((match) => match[1]!);
  expect(settings).toEqual(expect.arrayContaining(['enable_bitmapscan', 'enable_sort']));
  let statement = /return query\s+([\s\S]*?returning t\.\*);/i.exec(source)![1]!;
  for (const [name, parameter] of PARAMETERS) statement = statement.replace(new RegExp(`\\b${name}\\b`, 'g'), parameter);
  const client = await db.pool.connect();
  try {
    await client.query('begin');
    for (const setting of settings) await client.query(`set local ${setting} = off`);
    // EXPLAIN without ANALYZE plans but does not execute: nothing is claimed.
    const { rows } = await client.query(`explain (format json) ${statement}`, values);
    return rows[0]['QUERY PLAN'][0].Plan as PlanNode;
  } finally {
    await client.query('rollback');
    client.release();
  }
}

function expectPerNamePlan(plan: PlanNode): void {
  // The uncapped names: an ordered scan of the claim index, stopping after max_tasks rows.
  expectOrderedIndexScan(plan, 'CTE uncapped', 'tasks_claim_idx');
  // Each capped name: an ordered scan of its own in the name-first index, stopping after its limit.
  expectOrderedIndexScan(plan, 'CTE capped', 'tasks_claim_name_idx');
  // The claimed rows are updated by id, not found by reading the table.
  const scansOfTasks = collect(plan, (node) => node['Relation Name'] === 'tasks');
  expect(
    scansOfTasks.filter((node) => node['Node Type'] === 'Seq Scan'),
    JSON.stringify(plan),
  ).toEqual([]);
  expect(scansOfTasks.map((node) => node['Index Name'])).toContain('tasks_pkey');
}

function expectOrderedIndexScan(plan: PlanNode, cteName: string, indexName: string): void {
  const cte = findNode(plan, (node) => node['Subplan Name'] === cteName);
  expect(cte, JSON.stringify(plan)).toBeDefined();
  const scans = collect(cte!, (node) => typeof node['Relation Name'] === 'string');
  expect(scans.map((node) => node['Index Name'])).toEqual([indexName]);
  expect(scans[0]!['Node Type']).toBe('Index Scan');
  // The index order is the ORDER BY: no sort step, so a claim stops after `limit` rows.
  expect(collect(cte!, (node) => node['Node Type'] === 'Sort')).toEqual([]);
}

async function insertBacklog(db: TestDatabase): Promise<void> {
  await db.pool.query(
    `insert into tasks (task_name, priority, scheduled_at, max_retries, status, finished_at, attempts)
     select 'job-' || (g % 4), g % 10, now() - g * interval '1 second', 3,
            case when g % 3 = 0 then 'completed' else 'pending' end,
            case when g % 3 = 0 then now() end,
            case when g % 3 = 0 then 1 else 0 end
       from generate_series(1, 2000) g`,
  );
}

interface PlanNode {
  'Node Type': string;
  'Subplan Name'?: string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

function collect(node: PlanNode, match: (node: PlanNode) => boolean): PlanNode[] {
  const found = match(node) ? [node] : [];
  for (const child of node.Plans ?? []) found.push(...collect(child, match));
  return found;
}

function findNode(node: PlanNode, match: (node: PlanNode) => boolean): PlanNode | undefined {
  return collect(node, match)[0];
}
