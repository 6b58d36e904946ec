-- A task's states, defined once for SQL. Their TypeScript twin is packages/model/src/task-states.ts;
-- packages/core/src/tasks/task-states.spec.ts checks that the two agree on every status.
--
-- `status` alone does not say whether a task is done: a failed task with next_retry_at set will
-- be claimed again. taskforge_task_state splits `failed` in two; the other two say which of those
-- states are queued and which final.
--
-- Immutable SQL functions of their arguments, so the planner inlines them: a query that says
-- `where taskforge_task_is_queued(status, next_retry_at)` plans exactly as the expression
-- written out, and matches the partial indexes whose predicate says the same (tasks_claim_idx,
-- tasks_claim_name_idx). Because those indexes store what the function answered when each row
-- was indexed, changing a body here is a schema change: it needs a new migration that includes
-- this file again and rebuilds the indexes that use it (see CONTRIBUTING.md, "Adding a task state").
-- Installed by migrations with psql's `\ir` (migrate.ts expands it), so each definition is written once.

-- pending | running | completed | failed_awaiting_retry | failed_permanently | cancelled
create or replace function taskforge_task_state(status text, next_retry_at timestamptz) returns text
language sql immutable parallel safe
as $$
  select case when status <> 'failed' then status
              when next_retry_at is null then 'failed_permanently'
              else 'failed_awaiting_retry' end
$$;

-- Waiting for a worker: claimable once scheduled_at has come.
-- The two below spell the rule out instead of asking taskforge_task_state: an index predicate is
-- also evaluated by maintenance (CREATE INDEX, ANALYZE), which PostgreSQL 17 runs with
-- search_path = pg_catalog, where a call to another of our functions would not resolve; and a
-- function with its own search_path would no longer be inlined. The spec checks all three agree.
create or replace function taskforge_task_is_queued(status text, next_retry_at timestamptz) returns boolean
language sql immutable parallel safe
as $$ select status = 'pending' or (status = 'failed' and next_retry_at is not null) $$;

-- Nothing will change it unless someone acts (retry); retention may delete it.
create or replace function taskforge_task_is_final(status text, next_retry_at timestamptz) returns boolean
language sql immutable parallel safe
as $$ select status in ('completed', 'cancelled') or (status = 'failed' and next_retry_at is null) $$;
