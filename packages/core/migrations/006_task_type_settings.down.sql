drop function if exists taskforge_claim_tasks(text, text[], integer, double precision, text[], integer[], text[], integer[]);
drop index if exists tasks_claim_name_idx;
alter table tasks drop column if exists max_retries_source;
