drop index if exists tasks_failed_created_idx;
