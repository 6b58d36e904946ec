-- Operations (issue 5): deduplication, attempt history, schedules, the worker registry, the
-- indexes that serve listing and retention, and autovacuum settings suited to a queue.

alter table tasks
  -- Optional client-chosen key: while a task holds it, submitting the same key returns that task.
  add column idempotency_key text check (char_length(idempotency_key) between 1 and 255),
  -- The recurring schedule that made this task, and the tick it was made for. No foreign key:
  -- deleting a schedule must not touch (or lock) its past tasks, and an FK check on every
  -- insert would tax the hot path for the few tasks that have one.
  add column schedule_id uuid,
  add column schedule_tick timestamptz,
  -- The last 20 attempts, oldest first: [{attempt, worker_id, started_at, finished_at,
  -- outcome, error: {message, stack}}]. Kept in the row, not in a table of its own, so that
  -- recording an attempt costs no extra row and no extra index entry on the hot path.
  add column attempt_history jsonb not null default '[]'::jsonb,
  add constraint tasks_schedule_tick_pairs check ((schedule_id is null) = (schedule_tick is null));

-- Deduplication is this index, not a check-then-insert: two concurrent submissions of one key
-- cannot both insert. Partial, so tasks without a key cost nothing.
create unique index tasks_idempotency_key_idx on tasks (idempotency_key) where idempotency_key is not null;

-- Exactly one task per schedule and tick, however many workers fire schedules at once.
create unique index tasks_schedule_tick_idx on tasks (schedule_id, schedule_tick) where schedule_id is not null;

-- GET /tasks: newest first, keyset-paged on (created_at, id). Both directions scan this index.
create index tasks_created_idx on tasks (created_at desc, id desc);

-- Finished tasks in the order they finished: retention deletes from the old end, throughput
-- counts the new end. Partial: queued and running tasks have no entry here.
create index tasks_finished_idx on tasks (finished_at) where finished_at is not null;

-- A queue table churns: every task is inserted, updated twice and eventually deleted, so dead
-- tuples pile up far faster than the default autovacuum trigger (20 % of the table) notices.
-- Vacuum after 1 % (or 1,000 rows) changed, analyze after 2 %, and without cost-based sleeps,
-- so index scans stay short and the claim plan keeps fresh statistics as the table grows.
alter table tasks set (
  autovacuum_vacuum_scale_factor = 0.01,
  autovacuum_vacuum_threshold = 1000,
  autovacuum_vacuum_insert_scale_factor = 0.01,
  autovacuum_analyze_scale_factor = 0.02,
  autovacuum_vacuum_cost_delay = 0
);

create table task_schedules (
  id            uuid primary key default gen_random_uuid(),
  name          text not null unique check (char_length(name) between 1 and 255),
  -- 5 fields, or 6 with seconds first; validated with croner before it is stored.
  cron          text not null check (char_length(cron) between 1 and 255),
  -- IANA time zone the cron expression is read in.
  timezone      text not null default 'UTC' check (char_length(timezone) between 1 and 64),
  task_name     text not null check (char_length(task_name) between 1 and 255),
  payload       jsonb,
  priority      integer not null default 0,
  -- Null: the DEFAULT_MAX_RETRIES of the worker that fires the tick.
  max_retries   integer check (max_retries between 0 and 1000),
  timeout_ms    integer check (timeout_ms > 0),
  -- What to do with ticks missed while no worker ran: 'run_once' makes one task for all of
  -- them (at the latest missed tick), 'skip' drops them and waits for the next tick.
  missed_ticks  text not null default 'run_once' check (missed_ticks in ('run_once', 'skip')),
  paused        boolean not null default false,
  -- The next tick to fire; null only when the expression has no future tick.
  next_run_at   timestamptz,
  -- The tick of the last task this schedule made.
  last_run_at   timestamptz,
  created_at    timestamptz not null default now(),
  updated_at    timestamptz not null default now()
);

-- Workers look for due schedules in tick order.
create index task_schedules_due_idx on task_schedules (next_run_at) where not paused and next_run_at is not null;

-- Live workers: each upserts its row with every heartbeat and deletes it on a clean stop.
create table task_workers (
  id            text primary key,
  host          text not null,
  pid           integer not null,
  started_at    timestamptz not null default now(),
  last_seen_at  timestamptz not null default now(),
  concurrency   integer not null,
  task_names    text[] not null,
  running       integer not null default 0
);
