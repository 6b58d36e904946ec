/**
 * The fence every worker-side transition (complete, fail, release, heartbeat) checks: a row
 * changes only while it is still running, still locked by this worker, and on the attempt the
 * worker started. A worker that lost a task (its lease lapsed and another worker claimed it, or
 * it was cancelled) therefore cannot write over someone else's run: its statement matches no row,
 * and the caller learns so from what the statement returns. See DESIGN.md, "A task's life".
 *
 * `task` is the alias of the tasks row, `held` the alias of the caller's list (an unnest with
 * columns id and attempt), `workerId` the parameter holding the worker's id.
 *
 * "Still running" is `locked_by = workerId`: a check constraint (tasks_lock_matches_status) makes
 * a lock holder exactly a running task. Spelling out `status = 'running'` as well would match the
 * predicate of tasks_lease_idx, and a planner whose statistics say few tasks run (analyzed while
 * the queue was empty, or held only finished tasks) then walks every running task of every
 * worker through that index instead of looking the batch up by id (hot-plans-*.spec.ts).
 *
 * The statements that use it are sent unnamed (not prepared) on purpose: a cached generic plan
 * walks every running task through tasks_lease_idx, dead entries included, instead of looking the
 * batch up by id (drain E, with history in the table: 10,900 → 20,800 tasks/s once planned per call).
 */
export function heldByWorker(task: string, held: string, workerId: string): string {
  return `${task}.id = ${held}.id
        and ${task}.attempts = ${held}.attempt
        and ${task}.locked_by = ${workerId}`;
}
