-- The claim, as a function so that it can carry its own planner settings. Its plan must be an
-- ordered scan of tasks_claim_idx that stops after max_tasks rows. Without table statistics
-- (a new table, one just truncated or bulk-loaded before autovacuum analyzed it) the planner
-- estimates one due row and prefers a bitmap scan plus a sort of every due row, which makes
-- each claim read the whole backlog (measured: drain A 2,500 tasks/s instead of 5,200 before
-- the first ANALYZE). With bitmap scans and sorts off, only the ordered index scan remains.
create function taskforge_claim_tasks(
  worker_id text,
  task_names text[],
  max_tasks integer,
  lease_ms double precision
) returns setof tasks
language plpgsql
set enable_bitmapscan = off
set enable_sort = off
as $$
begin
  return query
  with due as (
    select id
      from tasks
     where (status = 'pending' or (status = 'failed' and next_retry_at is not null))
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

-- Every claim and completion changes status, so this index cost two extra index insertions
-- per task while serving no query: stats count with one scan of the table, and the claim has
-- its own partial index.
drop index tasks_status_idx;
