import { beforeAll, describe } from 'vitest';
import { addLiveSet, analyzeNowAndNeverAgain, itKeepsEveryHotPlan, load } from '../../../../test/support/hot-path-checks.js';
import { useTestDatabase } from '../../../../test/support/test-database.js';

/**
 * The hot statements' plans when the statistics describe only history: analyzed with 1,000,000
 * completed tasks (a queue that drained, its tasks kept until retention removes them), then given
 * a small live set. The statistics say no task is due or running; the plans must not care.
 */
describe('the hot plans on a table analyzed with 1,000,000 completed tasks', () => {
  const db = useTestDatabase();
  let live: Awaited<ReturnType<typeof addLiveSet>>;

  beforeAll(async () => {
    // Sequential ids: appending to tasks_pkey instead of inserting at random halves the load's time.
    await load(
      db.url,
      `insert into tasks (id, task_name, max_retries, status, attempts, created_at, scheduled_at, started_at, finished_at)
       select lpad(to_hex(g), 32, '0')::uuid, 'job', 3, 'completed', 1, t.at, t.at, t.at, t.at
         from generate_series(1, 1000000) g, lateral (select now() - g * interval '1 second' as at) t`,
    );
    await analyzeNowAndNeverAgain(db.pool);
    live = await addLiveSet(db.pool, 2_000);
  });

  itKeepsEveryHotPlan(db, () => live);
});
