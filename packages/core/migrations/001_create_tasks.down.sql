drop table if exists tasks;
drop function if exists taskforge_task_is_final(text, timestamptz);
drop function if exists taskforge_task_is_queued(text, timestamptz);
drop function if exists taskforge_task_state(text, timestamptz);
