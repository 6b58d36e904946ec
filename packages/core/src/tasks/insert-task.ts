import type { Queryable } from '../db/queryable.js';
import type { NewTask } from './add-task.js';
import { TASK_COLUMNS, type Task } from './task.js';

/** The insert's column list and the matching placeholders, shared by the plain and the keyed insert. */
export const INSERT_COLUMNS = 'task_name, payload, priority, scheduled_at, max_retries, timeout_ms, max_retries_source';
export const INSERT_VALUES = '$1, $2::jsonb, $3, coalesce($4, now()), $5, $6, $7';

/** The bind values for INSERT_VALUES, in order. */
export function insertValues(task: NewTask): unknown[] {
  return [
    task.task_name,
    // Stringified by us: node-postgres would turn a JS array into a PostgreSQL array literal.
    task.payload === undefined ? null : JSON.stringify(task.payload),
    task.priority ?? 0,
    task.scheduled_at ?? null,
    task.max_retries,
    task.timeout_ms ?? null,
    task.max_retries_source ?? 'explicit',
  ];
}

/** Inserts one pending task without an idempotency key: one statement, no lookups. */
export async function insertTask(db: Queryable, task: NewTask): Promise<Task> {
  const { rows } = await db.query<Task>(
    `insert into tasks (${INSERT_COLUMNS}) values (${INSERT_VALUES}) returning ${TASK_COLUMNS}`,
    insertValues(task),
  );
  return rows[0]!;
}
