drop table if exists task_workers;
drop table if exists task_schedules;
alter table tasks reset (
  autovacuum_vacuum_scale_factor,
  autovacuum_vacuum_threshold,
  autovacuum_vacuum_insert_scale_factor,
  autovacuum_analyze_scale_factor,
  autovacuum_vacuum_cost_delay
);
drop index if exists tasks_finished_idx;
drop index if exists tasks_created_idx;
drop index if exists tasks_schedule_tick_idx;
drop index if exists tasks_idempotency_key_idx;
alter table tasks
  drop constraint if exists tasks_schedule_tick_pairs,
  drop column if exists attempt_history,
  drop column if exists schedule_tick,
  drop column if exists schedule_id,
  drop column if exists idempotency_key;
