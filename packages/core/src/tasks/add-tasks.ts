import type { Queryable } from '../db/queryable.js';
import type { AddTaskOptions, NewTask } from './add-task.js';
import { TASK_COLUMNS, type Task } from './task.js';

/**
 * One statement for the whole batch: the rows arrive as one array per column, so the statement
 * has seven parameters whatever the batch size (no 65,535-parameter ceiling) and is all-or-nothing
 * by itself. Ids are drawn up front, in a materialized CTE, so the inserted rows can be joined
 * back to their input position: RETURNING alone promises no order.
 */
const INSERT_TASKS = `
  with input as materialized (
    select gen_random_uuid() as id, t.*
    from unnest($1::text[], $2::jsonb[], $3::int[], $4::timestamptz[], $5::int[], $6::int[], $7::text[])
      with ordinality as t(task_name, payload, priority, scheduled_at, max_retries, timeout_ms, max_retries_source, position)
  ),
  inserted as (
    insert into tasks (id, task_name, payload, priority, scheduled_at, max_retries, timeout_ms, max_retries_source)
    select id, task_name, payload, priority, coalesce(scheduled_at, now()), max_retries, timeout_ms, max_retries_source
    from input
    returning ${TASK_COLUMNS}
  )
  select inserted.*
  from inserted
  join input using (id)
  order by input.position`;

/**
 * Inserts many pending tasks at once and returns them in input order. Either every task is
 * stored or none is (one statement); pass a client inside a transaction to tie them to your own
 * writes. The rows are committed (or part of the caller's transaction) before this resolves.
 *
 * Tasks with an `idempotency_key` are refused: settling a key can take a release and a second
 * insert (see submitTask), which one all-or-nothing statement cannot do. Add those one by one.
 */
export async function addTasks(db: Queryable, tasks: readonly NewTask[], options: AddTaskOptions = {}): Promise<Task[]> {
  const keyed = tasks.findIndex((task) => task.idempotency_key !== undefined && task.idempotency_key !== null);
  if (keyed !== -1) {
    throw new TypeError(`addTasks does not take idempotency keys (tasks[${keyed}].idempotency_key); add keyed tasks with submitTask`);
  }
  if (tasks.length === 0) return [];
  const { rows } = await db.query<Task>(INSERT_TASKS, [
    tasks.map((task) => task.task_name),
    // Stringified by us, as in addTask: node-postgres would turn a JS array into a PostgreSQL array.
    tasks.map((task) => (task.payload === undefined ? null : JSON.stringify(task.payload))),
    tasks.map((task) => task.priority ?? 0),
    tasks.map((task) => task.scheduled_at ?? null),
    tasks.map((task) => task.max_retries),
    tasks.map((task) => task.timeout_ms ?? null),
    tasks.map((task) => task.max_retries_source ?? 'explicit'),
  ]);
  if (options.notifier && rows.length > 0) {
    options.notifier.tasksAdded(Math.min(...rows.map((row) => row.scheduled_at.getTime() - row.created_at.getTime())));
  }
  return rows;
}
