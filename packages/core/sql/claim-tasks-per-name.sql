-- The claim with per-name settings, beside the plain claim (claim-tasks.sql), which stays: a worker
-- without caps or maxRetries keeps claiming with it (its hot path unchanged), and so do workers of
-- an earlier release during a rolling upgrade. claim-tasks.ts picks between the two.
--
-- capped_names / capped_limits: names with a concurrency cap, and how many of each this claim
-- may take (the caller's free slots for that name; their sum at most max_tasks). Each is taken
-- from its own ordered scan of tasks_claim_name_idx, before the rest: a backlog of other names
-- can neither hide nor starve it, and it never gets more than its free slots.
-- task_names: the names without a cap, claimed as the plain claim does, up to what is left of
-- max_tasks.
-- retry_names / retry_limits: names whose handler sets maxRetries, and its value. It replaces a
-- 'default' (or earlier 'handler') max_retries when the claim starts a task's first attempt.
--
-- The planner settings pin the plan as in the plain claim; hash and merge joins off keep the
-- per-name lateral scans nested loops that stop at each name's limit.
--
-- Each capped scan orders by task_name first, and compares it with `= any(array[…])`, so that only
-- tasks_claim_name_idx gives its order without a sort (which is off). Written `= cap.name`, the
-- planner takes the lateral name for a constant and drops task_name from the order; then, with
-- statistics that say one name fills the table (analyzed while another queue's backlog waited),
-- it walked tasks_claim_idx past that whole backlog: 22,000 buffers for 20 tasks behind 1,000,000
-- due tasks of another name, instead of 25 (hot-plans-analyzed-other-type.spec.ts).
create or replace function taskforge_claim_tasks(
  worker_id text,
  task_names text[],
  max_tasks integer,
  lease_ms double precision,
  capped_names text[],
  capped_limits integer[],
  retry_names text[],
  retry_limits integer[]
) returns setof tasks
language plpgsql
set enable_bitmapscan = off
set enable_sort = off
set enable_hashjoin = off
set enable_mergejoin = off
as $$
begin
  return query
  with capped as (
    select picked.id, picked.task_name
      from unnest(capped_names, capped_limits) as cap(name, free)
     cross join lateral (
       select c.id, c.task_name
         from tasks c
        where taskforge_task_is_queued(c.status, c.next_retry_at)
          and c.scheduled_at <= now()
          and c.task_name = any(array[cap.name])
        order by c.task_name, c.priority desc, c.scheduled_at
        limit cap.free
          for update skip locked
     ) picked
  ),
  uncapped as (
    select u.id, u.task_name
      from tasks u
     where taskforge_task_is_queued(u.status, u.next_retry_at)
       and u.scheduled_at <= now()
       and u.task_name = any(task_names)
     order by u.priority desc, u.scheduled_at
     -- Limit 0 reads nothing: all names capped, or their claims took all of max_tasks.
     limit case when cardinality(task_names) = 0 then 0 else greatest(max_tasks - (select count(*) from capped), 0) end
       for update skip locked
  ),
  due as (
    select id, task_name from capped
    union all
    select id, task_name from uncapped
  ),
  handler_retries as (
    select r.name, r.max_retries from unnest(retry_names, retry_limits) as r(name, max_retries)
  )
  update tasks t
     set status = 'running',
         attempts = t.attempts + 1,
         locked_by = worker_id,
         locked_at = now(),
         lease_expires_at = now() + lease_ms * interval '1 millisecond',
         started_at = now(),
         next_retry_at = null,
         updated_at = now(),
         max_retries = case when t.attempts = 0 and t.max_retries_source <> 'explicit' and h.max_retries is not null
                            then h.max_retries else t.max_retries end,
         max_retries_source = case when t.attempts = 0 and t.max_retries_source <> 'explicit' and h.max_retries is not null
                                   then 'handler' else t.max_retries_source end
    from due
    left join handler_retries h on h.name = due.task_name
   where t.id = due.id
  returning t.*;
end
$$;
