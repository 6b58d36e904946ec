-- GET /tasks?status=failed (the dead letters) and ?status=cancelled, newest first and keyset-paged
-- like tasks_created_idx. Without it those filters walk tasks_created_idx past every completed
-- task: measured on 1,000,000 tasks, 28-88 ms for a page of failed tasks spread evenly at 0.2 %,
-- 200-430 ms when the only failures are weeks old; with it, under 6 ms cold. Partial, so a task
-- that runs and completes never gets an entry: only a failure or a cancellation writes one.
create index tasks_failed_created_idx on tasks (created_at desc, id desc) where status in ('failed', 'cancelled');
