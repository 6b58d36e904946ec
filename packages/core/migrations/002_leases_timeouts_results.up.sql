-- Leases: a running task belongs to its worker only until lease_expires_at. The worker renews
-- it with every heartbeat; once it lapses, any worker returns the task to the queue.
alter table tasks
  add column lease_expires_at timestamptz,
  -- Per-task limit on one attempt's run time; null means no limit.
  add column timeout_ms integer check (timeout_ms > 0),
  -- What the handler returned on success (JSON), size-capped by the worker.
  add column result jsonb;

-- Tasks running when this migration runs get an already expired lease, so they are rescued.
update tasks set lease_expires_at = now() where status = 'running';

alter table tasks
  add constraint tasks_lease_matches_status check ((status = 'running') = (lease_expires_at is not null));

-- Serves the rescue query (rescue-expired-tasks.ts): running tasks in lease order, so the
-- expired ones are the first entries and the scan stops at the first live lease.
create index tasks_lease_idx on tasks (lease_expires_at) where status = 'running';
