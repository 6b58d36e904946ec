import type { Queryable } from '../db/queryable.js';
import { InvalidQueryError } from '../errors.js';
import type { TaskStatus } from '@taskforge/model';
import { TASK_COLUMNS, type Task } from './task.js';
import { decodeTaskCursor, encodeTaskCursor, type ListOrder } from './task-cursor.js';

export type { ListOrder } from './task-cursor.js';

export const LIST_TASKS_DEFAULT_LIMIT = 50;
export const LIST_TASKS_MAX_LIMIT = 500;

/** Filters and paging for listTasks. Omitted filters do not filter; given ones all apply (AND). */
export interface ListTasksQuery {
  /** Tasks with any of these statuses. An empty list matches nothing. */
  statuses?: readonly TaskStatus[];
  /** Tasks with any of these names (exact match). An empty list matches nothing. */
  taskNames?: readonly string[];
  /** created_at at or after this instant (inclusive). */
  createdAfter?: Date;
  /** created_at before this instant (exclusive). */
  createdBefore?: Date;
  /** scheduled_at at or after this instant (inclusive). */
  scheduledAfter?: Date;
  /** scheduled_at before this instant (exclusive). */
  scheduledBefore?: Date;
  /** Tasks per page, 1–500; 50 when omitted. */
  limit?: number;
  /** By created_at, then id: `desc` (newest first, the default) or `asc`. */
  order?: ListOrder;
  /** nextCursor of the previous page, read with the same order; the first page when omitted. */
  cursor?: string | null;
}

export interface TaskPage {
  tasks: Task[];
  /** Pass as `cursor` for the next page; null when this page holds the last matching task. */
  nextCursor: string | null;
}

/**
 * One statement, keyset-paged on (created_at, id), so it walks tasks_created_idx in its own
 * order and stops after limit + 1 rows (the extra row only says whether another page exists):
 * page 1000 costs what page 1 costs. The cursor's row comparison is an index condition.
 * Every optional filter is `$n is null or …`: node-postgres sends unnamed statements, which
 * PostgreSQL plans with the actual values, so an absent filter folds away and a present one
 * can pick a better index (tasks_lease_idx for running, tasks_claim_idx for a few pending,
 * tasks_failed_created_idx for failed or cancelled). The two orders are two fixed statements:
 * ORDER BY cannot take a parameter and still match an index.
 * The cursor's created_at is rendered in UTC with all six fractional digits, whatever the
 * session's TimeZone and DateStyle, and read back with ::timestamptz exactly.
 */
function listStatement(order: ListOrder): string {
  const [direction, comparison] = order === 'desc' ? ['desc', '<'] : ['asc', '>'];
  return `
  select ${TASK_COLUMNS},
         to_char(created_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as cursor_created_at
    from tasks
   where ($1::text[] is null or status = any($1::text[]))
     and ($2::text[] is null or task_name = any($2::text[]))
     and ($3::timestamptz is null or created_at >= $3::timestamptz)
     and ($4::timestamptz is null or created_at < $4::timestamptz)
     and ($5::timestamptz is null or scheduled_at >= $5::timestamptz)
     and ($6::timestamptz is null or scheduled_at < $6::timestamptz)
     and ($7::timestamptz is null or (created_at, id) ${comparison} ($7::timestamptz, $8::uuid))
   order by created_at ${direction}, id ${direction}
   limit $9`;
}

const LIST_STATEMENTS: Record<ListOrder, string> = { desc: listStatement('desc'), asc: listStatement('asc') };

/** The statement and values listTasks sends, so a test can EXPLAIN exactly that. */
export function listTasksStatement(query: ListTasksQuery): { text: string; values: unknown[]; limit: number; order: ListOrder } {
  const order = query.order ?? 'desc';
  if (order !== 'desc' && order !== 'asc') throw new InvalidQueryError('order', 'must be asc or desc');
  const limit = query.limit ?? LIST_TASKS_DEFAULT_LIMIT;
  if (!Number.isInteger(limit) || limit < 1 || limit > LIST_TASKS_MAX_LIMIT) {
    throw new InvalidQueryError('limit', `must be an integer from 1 to ${LIST_TASKS_MAX_LIMIT}`);
  }
  const cursor = query.cursor == null ? null : decodeTaskCursor(query.cursor, order);
  const values = [
    query.statuses ?? null,
    query.taskNames ?? null,
    query.createdAfter ?? null,
    query.createdBefore ?? null,
    query.scheduledAfter ?? null,
    query.scheduledBefore ?? null,
    cursor?.createdAt ?? null,
    cursor?.id ?? null,
    limit + 1,
  ];
  return { text: LIST_STATEMENTS[order], values, limit, order };
}

/**
 * A page of tasks matching the filters, newest first unless `order: 'asc'`. Paging with
 * nextCursor returns every matching task exactly once, in order, also among tasks created in
 * the same microsecond (ties are broken by id). Throws InvalidQueryError for a limit out of
 * range or a cursor that does not decode or was made for the other order.
 */
export async function listTasks(db: Queryable, query: ListTasksQuery = {}): Promise<TaskPage> {
  const { text, values, limit, order } = listTasksStatement(query);
  const { rows } = await db.query<Task & { cursor_created_at: string }>(text, values);
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  const nextCursor = rows.length > limit && last ? encodeTaskCursor({ createdAt: last.cursor_created_at, id: last.id, order }) : null;
  return { tasks: page.map(({ cursor_created_at: _, ...task }) => task), nextCursor };
}
