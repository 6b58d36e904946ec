drop index if exists tasks_lease_idx;
alter table tasks
  drop constraint if exists tasks_lease_matches_status,
  drop column if exists result,
  drop column if exists timeout_ms,
  drop column if exists lease_expires_at;
