-- The per-name claim's capped scans ordered by task_name first, so that only tasks_claim_name_idx
-- serves them whatever the table statistics say (issue 15: plans that cannot collapse; the why is
-- in sql/claim-tasks-per-name.sql). Same signature, same result: only the plan changes.
-- version ae78170b3dadc469
\ir ../sql/claim-tasks-per-name.sql
