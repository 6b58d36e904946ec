import type { Pool, PoolClient } from 'pg';

/** One node of an EXPLAIN (FORMAT JSON) plan, as auto_explain logs it. */
export interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Subplan Name'?: string;
  'Actual Rows'?: number;
  'Actual Loops'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

/** A statement PostgreSQL ran, with the plan it ran with: what auto_explain reports. */
export interface ExecutedPlan {
  queryText: string;
  plan: PlanNode;
}

/**
 * auto_explain's settings: every statement (min_duration 0), nested ones too (the claim's
 * statement runs inside its PL/pgSQL function), executed with buffer counts, timing off (the
 * specs read structure and buffers, never milliseconds), sent to this client as a NOTICE
 * instead of to the server log.
 */
const AUTO_EXPLAIN_SETTINGS = [
  'log_min_duration = 0',
  'log_analyze = on',
  'log_buffers = on',
  'log_timing = off',
  'log_format = json',
  'log_nested_statements = on',
  'log_level = notice',
];

/**
 * Runs `work` on one connection with auto_explain loaded and returns the plan of every statement
 * it ran, in order, then rolls it all back, so each call sees the same table.
 *
 * Why auto_explain rather than EXPLAIN of a copied statement: `work` calls core's own functions
 * (completeTasks, claimTasks…), which send their own SQL text with their own parameters, the
 * way a worker sends it (unnamed or prepared), and the claim's inner statement is planned by
 * PL/pgSQL with the function's planner settings and plan cache in force. What is checked is
 * therefore the plan PostgreSQL really ran, with no second copy of any statement to drift.
 * LOAD needs a superuser, which the test databases' owner is.
 */
export async function plansOf(pool: Pool, work: (client: PoolClient) => Promise<unknown>): Promise<ExecutedPlan[]> {
  const client = await pool.connect();
  const plans: ExecutedPlan[] = [];
  const onNotice = (notice: { message?: string }) => {
    const logged = /plan:\n([\s\S]*)$/.exec(notice.message ?? '');
    if (!logged) return;
    const explained = JSON.parse(logged[1]!) as { 'Query Text': string; Plan: PlanNode };
    plans.push({ queryText: explained['Query Text'], plan: explained.Plan });
  };
  client.on('notice', onNotice);
  try {
    await client.query(`load 'auto_explain'`);
    for (const setting of AUTO_EXPLAIN_SETTINGS) await client.query(`set auto_explain.${setting}`);
    await client.query('begin');
    try {
      await work(client);
    } finally {
      await client.query('rollback');
    }
  } finally {
    client.off('notice', onNotice);
    // Not back into the pool: its session has auto_explain loaded.
    client.release(true);
  }
  return plans;
}

export function collect(node: PlanNode, match: (node: PlanNode) => boolean): PlanNode[] {
  return [...(match(node) ? [node] : []), ...(node.Plans ?? []).flatMap((child) => collect(child, match))];
}

/** Every scan of a table or index in the plan: [node type, index name or table name]. */
export function scansOf(node: PlanNode): Array<[string, string | undefined]> {
  return collect(node, (each) => /Scan$/.test(each['Node Type']) && each['Relation Name'] !== undefined).map((scan) => [
    scan['Node Type'],
    scan['Index Name'] ?? scan['Relation Name'],
  ]);
}

/** Shared buffers the statement touched (hit in shared_buffers, or read into them): its whole tree. */
export function buffersOf(plan: PlanNode): number {
  return (plan['Shared Hit Blocks'] ?? 0) + (plan['Shared Read Blocks'] ?? 0);
}

/** An indented one-line-per-node rendering, for failure messages and for reading a plan quickly. */
export function describePlan(node: PlanNode, depth = 0): string {
  const target = node['Index Name'] ?? node['Relation Name'];
  const line =
    `${'  '.repeat(depth)}${node['Node Type']}${target ? ` on ${target}` : ''}` +
    `${node['Subplan Name'] ? ` (${node['Subplan Name']})` : ''} rows=${node['Actual Rows']} loops=${node['Actual Loops']} buffers=${buffersOf(node)}`;
  return [line, ...(node.Plans ?? []).map((child) => describePlan(child, depth + 1))].join('\n');
}
