-- The claims' plans pinned against lying statistics (issue 15: plans that cannot collapse; the
-- why is in each file): the plain claim finds the claimed rows by id even in a generic plan, and
-- the per-name claim's capped scans use tasks_claim_name_idx whatever the statistics say. Same
-- signatures, same results: only the plans change.
-- version 5ca1154d8d880abb
\ir ../sql/claim-tasks.sql
-- version ae78170b3dadc469
\ir ../sql/claim-tasks-per-name.sql
