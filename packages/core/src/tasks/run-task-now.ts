import type { Queryable } from '../db/queryable.js';
import { TaskStateConflictError } from '../errors.js';
import { getTask } from './get-task.js';
import { TASK_COLUMNS, type Task } from './task.js';

/**
 * Makes a queued task due at once: a pending one, or a failed one waiting for its retry (its
 * backoff is skipped; it stays `failed` until claimed, like any retry, and keeps its attempts).
 * A task already due keeps its place: `least()` never moves it behind tasks due after it.
 * One conditional UPDATE, like cancelTask; anything else is a TaskStateConflictError.
 */
export async function runTaskNow(db: Queryable, id: string): Promise<Task> {
  const { rows } = await db.query<Task>(
    `update tasks
        set scheduled_at = least(scheduled_at, now()),
            -- While a retry is awaited next_retry_at equals scheduled_at (migration 001).
            next_retry_at = case when status = 'failed' then least(scheduled_at, now()) end,
            updated_at = now()
      where id = $1
        and taskforge_task_is_queued(status, next_retry_at)
      returning ${TASK_COLUMNS}`,
    [id],
  );
  if (rows.length === 1) return rows[0]!;
  const current = await getTask(db, id);
  throw new TaskStateConflictError(id, current.status, 'run now', 'pending or failed (awaiting a retry)');
}
