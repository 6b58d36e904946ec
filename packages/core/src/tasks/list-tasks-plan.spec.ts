import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { listTasks, listTasksStatement, type ListTasksQuery } from './list-tasks.js';

interface PlanNode {
  'Node Type': string;
  'Index Name'?: string;
  'Index Cond'?: string;
  'Scan Direction'?: string;
  Plans?: PlanNode[];
  [key: string]: unknown;
}

function collect(node: PlanNode, match: (node: PlanNode) => boolean): PlanNode[] {
  return [...(match(node) ? [node] : []), ...(node.Plans ?? []).flatMap((child) => collect(child, match))];
}

/**
 * The listing's plans on a table shaped like a real queue: 50,000 tasks, nearly all completed,
 * created over 30 days, with statistics. Plans, not timings: a plan that walks an index in the
 * listing's order and stops at the limit costs the same at any table size; a Sort or a Seq Scan
 * reads every matching row first. Timings on 1,000,000 tasks are in docs/reference/http-api.md (GET /tasks).
 */
describe('listTasks plans', () => {
  const db = useTestDatabase();

  beforeAll(async () => {
    // One task every 52 s over 30 days; 0.2 % failed, 0.1 % cancelled, the newest 500 pending.
    await db.pool.query(
      `insert into tasks (task_name, status, created_at, scheduled_at, max_retries, attempts, finished_at)
       select 'job-' || (g % 5), s.status, s.created, s.created, 3, 1,
              case when s.status <> 'pending' then s.created end
         from generate_series(1, 50000) g,
              lateral (select now() - g * interval '52 seconds' as created,
                              case when g <= 500 then 'pending'
                                   when g % 500 = 3 then 'failed'
                                   when g % 1000 = 5 then 'cancelled'
                                   else 'completed' end as status) s`,
    );
    await db.pool.query('analyze tasks');
  });

  /** EXPLAIN of exactly the statement and values listTasks sends. */
  async function plan(query: ListTasksQuery): Promise<PlanNode> {
    const { text, values } = listTasksStatement(query);
    const { rows } = await db.pool.query(`explain (format json) ${text}`, values);
    return rows[0]['QUERY PLAN'][0].Plan as PlanNode;
  }

  /** One index scan on `index`, in the listing's order: no Seq Scan, no Sort, no bitmap scan. */
  function expectOrderedScan(root: PlanNode, index: string): PlanNode {
    const scans = collect(root, (node) => /Scan/.test(node['Node Type']));
    expect(
      scans.map((node) => [node['Node Type'], node['Index Name']]),
      JSON.stringify(root),
    ).toEqual([['Index Scan', index]]);
    expect(collect(root, (node) => node['Node Type'] === 'Sort')).toEqual([]);
    expect(root['Node Type']).toBe('Limit');
    return scans[0]!;
  }

  async function secondPageCursor(query: ListTasksQuery): Promise<string> {
    const first = await listTasks(db.pool, { ...query, limit: 50 });
    expect(first.tasks).toHaveLength(50);
    return first.nextCursor!;
  }

  it('serves the default listing (newest first) from tasks_created_idx', async () => {
    const scan = expectOrderedScan(await plan({}), 'tasks_created_idx');
    expect(scan['Scan Direction']).toBe('Forward');
  });

  it('serves a later page from tasks_created_idx, the cursor as an index condition', async () => {
    const scan = expectOrderedScan(await plan({ cursor: await secondPageCursor({}) }), 'tasks_created_idx');
    expect(scan['Index Cond']).toMatch(/ROW\(created_at, id\) < ROW\(/);
  });

  it('serves oldest first, and its later pages, by reading tasks_created_idx backwards', async () => {
    const first = expectOrderedScan(await plan({ order: 'asc' }), 'tasks_created_idx');
    expect(first['Scan Direction']).toBe('Backward');
    const later = expectOrderedScan(await plan({ order: 'asc', cursor: await secondPageCursor({ order: 'asc' }) }), 'tasks_created_idx');
    expect(later['Index Cond']).toMatch(/ROW\(created_at, id\) > ROW\(/);
  });

  it('serves a created_at range as index conditions on tasks_created_idx', async () => {
    const scan = expectOrderedScan(
      await plan({ createdAfter: new Date(Date.now() - 3 * 86_400_000), createdBefore: new Date(Date.now() - 86_400_000) }),
      'tasks_created_idx',
    );
    expect(scan['Index Cond']).toMatch(/created_at >= .*created_at </);
  });

  it('serves failed and cancelled tasks, and their later pages, from tasks_failed_created_idx', async () => {
    expectOrderedScan(await plan({ statuses: ['failed'] }), 'tasks_failed_created_idx');
    expectOrderedScan(await plan({ statuses: ['failed', 'cancelled'] }), 'tasks_failed_created_idx');
    const cursor = await secondPageCursor({ statuses: ['failed'] });
    const scan = expectOrderedScan(await plan({ statuses: ['failed'], cursor }), 'tasks_failed_created_idx');
    expect(scan['Index Cond']).toMatch(/ROW\(created_at, id\) < ROW\(/);
  });
});
