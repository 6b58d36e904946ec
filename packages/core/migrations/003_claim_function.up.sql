-- The claim, as a function so that it can carry its own planner settings: its one live
-- definition, and why, is in sql/claim-tasks.sql.
\ir ../sql/claim-tasks.sql

-- Every claim and completion changes status, so this index cost two extra index insertions
-- per task while serving no query: stats count with one scan of the table, and the claim has
-- its own partial index.
drop index tasks_status_idx;
