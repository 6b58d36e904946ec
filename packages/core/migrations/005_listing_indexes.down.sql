drop index if exists tasks_failed_created_idx;
drop index if exists tasks_name_created_idx;
