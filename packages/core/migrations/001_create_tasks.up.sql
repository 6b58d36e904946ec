-- What the states mean (queued, final), which the claim's index below is built on.
\ir ../sql/task-states.sql

-- The tasks table: one row per submitted task, the single source of truth for its state.
create table tasks (
  id            uuid primary key default gen_random_uuid(),
  task_name     text not null check (char_length(task_name) between 1 and 255),
  payload       jsonb,
  status        text not null default 'pending'
                check (status in ('pending', 'running', 'completed', 'failed', 'cancelled')),
  -- Higher runs first.
  priority      integer not null default 0,
  -- When the task is next due. A retry moves it forward to now + backoff.
  scheduled_at  timestamptz not null default now(),
  -- Claims so far: the attempt number of the current or last run.
  attempts      integer not null default 0 check (attempts >= 0),
  max_retries   integer not null check (max_retries >= 0),
  last_error    text,
  -- Set only while a failed task has retries left (equal to scheduled_at then); null once failed for good.
  next_retry_at timestamptz,
  -- Which worker holds the task while it is running, and since when.
  locked_by     text,
  locked_at     timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now(),
  -- Start of the latest attempt.
  started_at    timestamptz,
  -- When the task reached a final state: completed, cancelled, or failed with no retries left.
  finished_at   timestamptz,
  -- A running task is always locked; any other is never locked.
  constraint tasks_lock_matches_status check ((status = 'running') = (locked_by is not null))
);

-- Serves the claim (sql/claim-tasks.sql) exactly: its WHERE is this predicate,
-- its ORDER BY is this key order, so a claim reads the first due rows and stops.
create index tasks_claim_idx on tasks (priority desc, scheduled_at)
  where taskforge_task_is_queued(status, next_retry_at);

-- Serves the stats query's scan by status without reading the heap of finished rows twice.
create index tasks_status_idx on tasks (status);
