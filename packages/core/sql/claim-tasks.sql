-- The claim: the one statement a worker runs to take due tasks, as a database function so that it
-- can carry its own planner settings. claim-tasks.ts calls it; migrations install it with `\ir`.
--
-- Its plan must be an ordered scan of tasks_claim_idx that stops after max_tasks rows. Without
-- table statistics (a new table, one just truncated or bulk-loaded before autovacuum analyzed it)
-- the planner estimates one due row and prefers a bitmap scan plus a sort of every due row, which
-- makes each claim read the whole backlog (measured: drain A 2,500 tasks/s instead of 5,200 before
-- the first ANALYZE). With bitmap scans and sorts off, only the ordered index scan remains.
--
-- Hash and merge joins off: the update must find the claimed rows by id. After its first five
-- calls PL/pgSQL may switch to a generic plan, planned without knowing max_tasks or task_names;
-- on PostgreSQL 17, with statistics that said another type's 500,000 tasks were due, that plan
-- expected a large claim and joined it to a Seq Scan of the whole table: 19,000 buffers for 50
-- tasks on a table of 1,000,000, instead of 900 (hot-plans-analyzed-other-type.spec.ts).
--
-- FOR UPDATE SKIP LOCKED: concurrent workers take different rows instead of queueing on the same
-- ones. Each claim counts as an attempt; the lease is what a heartbeat renews.
create or replace function taskforge_claim_tasks(
  worker_id text,
  task_names text[],
  max_tasks integer,
  lease_ms double precision
) returns setof tasks
language plpgsql
set enable_bitmapscan = off
set enable_sort = off
set enable_hashjoin = off
set enable_mergejoin = off
as $$
begin
  return query
  with due as (
    select id
      from tasks
     where taskforge_task_is_queued(status, next_retry_at)
       and scheduled_at <= now()
       and task_name = any(task_names)
     order by priority desc, scheduled_at
     limit max_tasks
       for update skip locked
  )
  update tasks t
     set status = 'running',
         attempts = t.attempts + 1,
         locked_by = worker_id,
         locked_at = now(),
         lease_expires_at = now() + lease_ms * interval '1 millisecond',
         started_at = now(),
         next_retry_at = null,
         updated_at = now()
    from due
   where t.id = due.id
  returning t.*;
end
$$;
