import type { Queryable } from '../db/queryable.js';
import { TASK_COLUMNS, type Task } from './task.js';

export interface ClaimTasksParams {
  workerId: string;
  /** Only tasks with these names are claimed: a worker never takes a task it has no handler for. */
  taskNames: readonly string[];
  limit: number;
  /** How long the claim holds without a heartbeat; DEFAULT_LEASE_MS when omitted. */
  leaseMs?: number;
}

export const DEFAULT_LEASE_MS = 30_000;

/** What a worker needs of a claimed task to run it. */
export type ClaimedTask = Pick<Task, 'id' | 'task_name' | 'payload' | 'priority' | 'scheduled_at' | 'attempts' | 'max_retries' | 'timeout_ms'>;

const CLAIMED_COLUMNS = 'id, task_name, payload, priority, scheduled_at, attempts, max_retries, timeout_ms';

/**
 * Claims up to `limit` due tasks in one statement: the database function taskforge_claim_tasks
 * (migration 003) selects due rows in the order of `tasks_claim_idx` (priority desc,
 * scheduled_at) with FOR UPDATE SKIP LOCKED, so concurrent workers take different rows instead
 * of queueing on the same ones, and marks them running with a lease. Each claim counts as an
 * attempt. The function exists to pin the plan; see the migration.
 */
export async function claimTasks(db: Queryable, params: ClaimTasksParams): Promise<Task[]> {
  return claim<Task>(db, params, 'taskforge_claim_tasks', TASK_COLUMNS);
}

/**
 * claimTasks returning only what a worker needs to run each task: on the hot path, parsing
 * the other columns (seven timestamps among them) is allocation for nothing.
 */
export async function claimTasksToRun(db: Queryable, params: ClaimTasksParams): Promise<ClaimedTask[]> {
  return claim<ClaimedTask>(db, params, 'taskforge_claim_tasks_to_run', CLAIMED_COLUMNS);
}

async function claim<Row extends ClaimedTask>(
  db: Queryable,
  params: ClaimTasksParams,
  statementName: string,
  columns: string,
): Promise<Row[]> {
  if (params.limit <= 0 || params.taskNames.length === 0) return [];
  const { rows } = await db.query<Row>({
    // Named, so each connection parses it once (prepared statement).
    name: statementName,
    text: `select ${columns} from taskforge_claim_tasks($1, $2::text[], $3, $4)`,
    values: [params.workerId, params.taskNames, params.limit, params.leaseMs ?? DEFAULT_LEASE_MS],
  });
  // The function's UPDATE … RETURNING does not keep the claim order; restore it so tasks start
  // in priority order.
  return rows.sort(
    (a, b) => b.priority - a.priority || a.scheduled_at.getTime() - b.scheduled_at.getTime(),
  );
}
