import type { Queryable } from '../db/queryable.js';
import { IdempotencyKeyContendedError } from '../errors.js';
import type { AddTaskOptions, NewTask } from './add-task.js';
import { INSERT_COLUMNS, INSERT_VALUES, insertTask, insertValues } from './insert-task.js';
import { TASK_COLUMNS, type Task } from './task.js';

export interface SubmittedTask {
  task: Task;
  /** False when the idempotency key was held and `task` is the task holding it. */
  created: boolean;
}

/** TASK_IDEMPOTENCY_WINDOW's default: 24 hours. */
export const DEFAULT_IDEMPOTENCY_WINDOW_MS = 86_400_000;

/**
 * Rounds of insert → look up → release before giving up. Each round either settles or makes
 * progress (the holder became visible, or its expired key was released), so two or three
 * suffice under any real contention; the bound only keeps a pathological case from spinning.
 */
const MAX_ROUNDS = 5;

/**
 * Insert, or else the task holding the key, in one round-trip. The unique index decides:
 * ON CONFLICT DO NOTHING makes a concurrent submission of the same key wait for the first to
 * commit and then insert nothing, so two can never both insert. The second branch reads the
 * holder; it can come back empty when the holder committed after this statement's snapshot
 * was taken (read committed), and the next round sees it. `expired`: the holder finished at
 * least the window ago, so the key may be taken from it.
 */
const INSERT_OR_FIND_HOLDER = `
  with inserted as (
    insert into tasks (${INSERT_COLUMNS}, idempotency_key)
    values (${INSERT_VALUES}, $8)
    on conflict (idempotency_key) where idempotency_key is not null do nothing
    returning ${TASK_COLUMNS}
  )
  select true as created, false as expired, ${TASK_COLUMNS} from inserted
  union all
  select false, coalesce(finished_at <= now() - $9::float8 * interval '1 millisecond', false), ${TASK_COLUMNS}
    from tasks
   where idempotency_key = $8
     and not exists (select from inserted)`;

/**
 * Takes the key from a holder whose window has passed. The task itself stays, without its key.
 * Conditional on the row still holding the key and still being expired, so of several
 * submissions racing to release it one does it and the others find it done.
 */
const RELEASE_EXPIRED_KEY = `
  update tasks
     set idempotency_key = null, updated_at = now()
   where id = $1
     and idempotency_key = $2
     and finished_at <= now() - $3::float8 * interval '1 millisecond'`;

type HolderRow = Task & { created: boolean; expired: boolean };

/**
 * Adds a task, honouring its `idempotency_key`: while a task holding the key exists and is
 * unfinished, or finished less than `options.idempotencyWindowMs` ago, that task is returned
 * with `created: false` and nothing is inserted. Once the window has passed, the key is taken
 * from the old task (which stays, without it) and a new task gets it. A task without a key is
 * simply inserted. Works on the pool or on a client inside the caller's transaction; under
 * REPEATABLE READ or SERIALIZABLE a concurrent holder surfaces as a serialization failure, as
 * any write conflict does there.
 */
export async function submitTask(db: Queryable, task: NewTask, options: AddTaskOptions = {}): Promise<SubmittedTask> {
  const submitted =
    task.idempotency_key === undefined || task.idempotency_key === null
      ? { task: await insertTask(db, task), created: true }
      : await insertOrFindHolder(db, task, task.idempotency_key, options.idempotencyWindowMs ?? DEFAULT_IDEMPOTENCY_WINDOW_MS);
  if (submitted.created) {
    options.notifier?.tasksAdded(submitted.task.scheduled_at.getTime() - submitted.task.created_at.getTime());
  }
  return submitted;
}

async function insertOrFindHolder(db: Queryable, task: NewTask, key: string, windowMs: number): Promise<SubmittedTask> {
  const window = Math.max(0, windowMs);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const { rows } = await db.query<HolderRow>(INSERT_OR_FIND_HOLDER, [...insertValues(task), key, window]);
    const row = rows[0];
    if (!row) continue; // The holder committed after our snapshot: look again.
    const { created, expired, ...found } = row;
    if (!expired) return { task: found, created };
    await db.query(RELEASE_EXPIRED_KEY, [found.id, key, window]);
  }
  throw new IdempotencyKeyContendedError(key, MAX_ROUNDS);
}
