import type { Queryable } from '../db/queryable.js';
import { TASK_COLUMNS, type Task } from './task.js';

export interface ClaimTasksParams {
  workerId: string;
  /** Only tasks with these names are claimed: a worker never takes a task it has no handler for. */
  taskNames: readonly string[];
  limit: number;
  /** How long the claim holds without a heartbeat; DEFAULT_LEASE_MS when omitted. */
  leaseMs?: number;
  /**
   * Names claimed only up to a number of their own (a worker's free slots under a concurrency
   * cap), each in a scan of its own and before the other names, so other names' backlogs can
   * neither hide nor starve them. Only names in `taskNames` count; 0 claims none of that name.
   * When the numbers add up to more than `limit`, the first entries get theirs first.
   */
  perNameLimits?: ReadonlyArray<readonly [taskName: string, limit: number]>;
  /**
   * Handlers' maxRetries per name: a task submitted without max_retries (max_retries_source
   * 'default') whose first attempt this claim starts gets it, fixed from then on ('handler').
   */
  handlerMaxRetries?: ReadonlyArray<readonly [taskName: string, maxRetries: number]>;
}

export const DEFAULT_LEASE_MS = 30_000;

/** What a worker needs of a claimed task to run it. */
export type ClaimedTask = Pick<
  Task,
  'id' | 'task_name' | 'payload' | 'priority' | 'scheduled_at' | 'attempts' | 'max_retries' | 'timeout_ms'
>;

const CLAIMED_COLUMNS = 'id, task_name, payload, priority, scheduled_at, attempts, max_retries, timeout_ms';

/**
 * Claims up to `limit` due tasks in one statement: the database function taskforge_claim_tasks,
 * whose one live definition is packages/core/sql/claim-tasks.sql (and, with per-name limits,
 * sql/claim-tasks-per-name.sql; migrations install both from there). It selects due rows in the
 * order of `tasks_claim_idx` (priority desc, scheduled_at) with FOR UPDATE SKIP LOCKED, so
 * concurrent workers take different rows instead of queueing on the same ones, and marks them
 * running with a lease. Each claim counts as an attempt. Names in `perNameLimits` come first,
 * each from its own ordered scan of `tasks_claim_name_idx`, up to its number (the per-name
 * claim, which also applies `handlerMaxRetries`). The function exists to pin the plan; the SQL
 * files say how.
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
  const { uncapped, capped, cappedLimits } = splitByLimit(params);
  // Nothing to look for: a scan for no names would still walk every due row.
  if (uncapped.length === 0 && capped.length === 0) return [];
  const retryNames = params.handlerMaxRetries?.map(([name]) => name) ?? [];
  const retryLimits = params.handlerMaxRetries?.map(([, maxRetries]) => maxRetries) ?? [];
  const common = [params.workerId, uncapped, params.limit, params.leaseMs ?? DEFAULT_LEASE_MS];
  // Named, so each connection parses each once (prepared statements). Without per-name limits
  // or handler values, the plain claim (sql/claim-tasks.sql): the hot path of a worker without
  // settings is exactly what it was before they existed.
  const { rows } =
    capped.length === 0 && retryNames.length === 0
      ? await db.query<Row>({
          name: statementName,
          text: `select ${columns} from taskforge_claim_tasks($1, $2::text[], $3, $4)`,
          values: common,
        })
      : await db.query<Row>({
          name: `${statementName}_per_name`,
          text: `select ${columns} from taskforge_claim_tasks($1, $2::text[], $3, $4, $5::text[], $6::int[], $7::text[], $8::int[])`,
          values: [...common, capped, cappedLimits, retryNames, retryLimits],
        });
  // The function's UPDATE … RETURNING does not keep the claim order; restore it so tasks start
  // in priority order.
  return rows.sort((a, b) => b.priority - a.priority || a.scheduled_at.getTime() - b.scheduled_at.getTime());
}

/**
 * The names without a limit of their own, and the limited ones with what each may take: only
 * names in taskNames, none with 0, and together no more than `limit` (the database function
 * relies on that).
 */
function splitByLimit(params: ClaimTasksParams): { uncapped: string[]; capped: string[]; cappedLimits: number[] } {
  const served = new Set(params.taskNames);
  const limited = new Set<string>();
  const capped: string[] = [];
  const cappedLimits: number[] = [];
  let left = params.limit;
  for (const [name, limit] of params.perNameLimits ?? []) {
    if (!served.has(name) || limited.has(name)) continue;
    limited.add(name);
    const take = Math.min(Math.max(0, Math.floor(limit)), left);
    if (take === 0) continue;
    capped.push(name);
    cappedLimits.push(take);
    left -= take;
  }
  return { uncapped: params.taskNames.filter((name) => !limited.has(name)), capped, cappedLimits };
}
