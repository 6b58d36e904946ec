-- Task states and the claim, defined once (issue 14). Since this release the state functions and
-- the claim functions live in sql/ and migrations 001, 003 and 006 install them from there. A
-- database migrated before that has the same claim with the rule written out in its bodies and in
-- the predicates of the two claim indexes; this step brings it to what a fresh database gets.
-- On a fresh database it repeats what 001–006 did: the same definitions, and two empty indexes
-- rebuilt. Each `-- version` line names the file's version this step installs: a newer version
-- needs a newer migration (src/schema/sql-definitions.spec.ts checks it).
-- version 892664b5d4a46115
\ir ../sql/task-states.sql
-- version 491e6e10b954dc1b
\ir ../sql/claim-tasks.sql
-- version ffa3c4d68ca20764
\ir ../sql/claim-tasks-per-name.sql

-- The planner matches a partial index by its predicate's expression, so an index whose predicate
-- spells the rule out would no longer serve a claim that asks taskforge_task_is_queued(): rebuild
-- both with the function. They hold only queued tasks, but building one scans the whole table
-- (and blocks writes while it does) — on a large live table, run this step at a quiet moment.
drop index if exists tasks_claim_idx;
create index tasks_claim_idx on tasks (priority desc, scheduled_at)
  where taskforge_task_is_queued(status, next_retry_at);

drop index if exists tasks_claim_name_idx;
create index tasks_claim_name_idx on tasks (task_name, priority desc, scheduled_at)
  where taskforge_task_is_queued(status, next_retry_at);
