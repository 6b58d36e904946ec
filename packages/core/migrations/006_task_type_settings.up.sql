-- Per-task-type settings a worker's handlers carry (issue 8): a concurrency cap per task name in
-- one worker process, and a default max_retries for tasks submitted without one.

-- Where a task's max_retries came from. 'explicit': the submitter gave it. 'default': it did
-- not, and max_retries holds the submitter's DEFAULT_MAX_RETRIES as a stand-in until a worker
-- starts the task's first attempt; a worker whose handler sets maxRetries then replaces it
-- ('handler'). From the first attempt on the limit is fixed, so every attempt, the fenced fail
-- and the lease rescue (run by any worker, handler or not) read the same max_retries. Rows from
-- before this migration count as explicit: their limits stay what they were.
alter table tasks
  add column max_retries_source text not null default 'explicit'
    check (max_retries_source in ('explicit', 'default', 'handler'));

-- The claim of a capped task name: its first due rows, whatever other names' backlogs are ahead
-- of it in tasks_claim_idx. Without it, a capped name with nothing due walked every due row of
-- every other name at each claim (measured: 88 ms per claim behind 200,000 due tasks of another
-- name, against well under 1 ms). Partial like tasks_claim_idx: a task costs one more index
-- entry when it is added and when a failure schedules its retry, none while running or finished.
create index tasks_claim_name_idx on tasks (task_name, priority desc, scheduled_at)
  where status = 'pending' or (status = 'failed' and next_retry_at is not null);

-- The claim with per-name settings, next to migration 003's four-argument claim, which stays:
-- a worker without caps or maxRetries keeps claiming with it (its hot path unchanged), and so do
-- workers of the previous release during a rolling upgrade.
--
-- capped_names / capped_limits: names with a concurrency cap, and how many of each this claim
-- may take (the caller's free slots for that name; their sum at most max_tasks). Each is taken
-- from its own ordered scan of tasks_claim_name_idx, before the rest: a backlog of other names
-- can neither hide nor starve it, and it never gets more than its free slots.
-- task_names: the names without a cap, claimed as migration 003 does, up to what is left of
-- max_tasks.
-- retry_names / retry_limits: names whose handler sets maxRetries, and its value. It replaces a
-- 'default' (or earlier 'handler') max_retries when the claim starts a task's first attempt.
create function taskforge_claim_tasks(
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
        where (c.status = 'pending' or (c.status = 'failed' and c.next_retry_at is not null))
          and c.scheduled_at <= now()
          and c.task_name = cap.name
        order by c.priority desc, c.scheduled_at
        limit cap.free
          for update skip locked
     ) picked
  ),
  uncapped as (
    select u.id, u.task_name
      from tasks u
     where (u.status = 'pending' or (u.status = 'failed' and u.next_retry_at is not null))
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
