create index tasks_status_idx on tasks (status);
drop function if exists taskforge_claim_tasks(text, text[], integer, double precision);
