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
  where taskforge_task_is_queued(status, next_retry_at);

-- The claim with per-name settings, next to migration 003's four-argument claim, which stays.
-- Its one live definition, and why, is in sql/claim-tasks-per-name.sql.
\ir ../sql/claim-tasks-per-name.sql
