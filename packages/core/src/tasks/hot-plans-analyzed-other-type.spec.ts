import { beforeAll, describe } from 'vitest';
import { addLiveSet, analyzeNowAndNeverAgain, itKeepsEveryHotPlan, load } from '../../../../test/support/hot-path-checks.js';
import { useTestDatabase } from '../../../../test/support/test-database.js';

/**
 * The hot statements' plans when the statistics describe another queue: analyzed with 1,000,000
 * tasks of another type, half running (held by other workers, leases live) and half due, and
 * nothing of HOT_NAME, which then gets its small live set. The statistics say one task name, one
 * worker, and no task of ours: the shape pg-boss met when autovacuum analyzed its partition while
 * another queue drained.
 *
 * The other type's due tasks wait at a lower priority than ours. Ahead of ours, a plain claim of
 * our name would walk them in tasks_claim_idx (which holds every name) whatever the statistics
 * say: 22,000 buffers a claim behind 1,000,000 of them. That is the plain claim's cost for due
 * names a worker does not serve, not a plan the statistics chose, and no planner setting changes
 * it. A per-name claim reads its own name in tasks_claim_name_idx, and is checked here to do so
 * even when the statistics make its name look like the whole table.
 */
describe('the hot plans on a table analyzed with 1,000,000 tasks of another type', () => {
  const db = useTestDatabase();
  let live: Awaited<ReturnType<typeof addLiveSet>>;

  beforeAll(async () => {
    // Sequential ids: appending to tasks_pkey instead of inserting at random halves the load's time.
    await load(
      db.url,
      `insert into tasks (id, task_name, max_retries, priority, scheduled_at, created_at)
       select lpad(to_hex(g), 32, '0')::uuid, 'other', 3, 0, now() - interval '1 hour', now() - interval '1 hour'
         from generate_series(1, 500000) g`,
    );
    await load(
      db.url,
      `insert into tasks (id, task_name, max_retries, scheduled_at, created_at, status, attempts, locked_by, locked_at, started_at, lease_expires_at)
       select lpad(to_hex(g), 32, '0')::uuid, 'other', 3, now() - interval '1 hour', now() - interval '1 hour',
              'running', 1, 'other-worker-' || g % 8, now(), now(), now() + interval '2 hours'
         from generate_series(500001, 1000000) g`,
    );
    await analyzeNowAndNeverAgain(db.pool);
    live = await addLiveSet(db.pool, 2_000);
  });

  itKeepsEveryHotPlan(db, () => live);
});
