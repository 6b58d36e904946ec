import { beforeAll, describe } from 'vitest';
import { addLiveSet, analyzeNowAndNeverAgain, itKeepsEveryHotPlan } from '../../../../test/support/hot-path-checks.js';
import { useTestDatabase } from '../../../../test/support/test-database.js';

/**
 * The hot statements' plans when the statistics say the table is empty: analyzed before the
 * first task (a new install, or a table just truncated), then filled with a backlog of 50,000 due
 * tasks before anything analyzes it again. The planner, told there is nothing to read, must
 * still walk the claim index in order and look the batches up by id.
 */
describe('the hot plans on a table analyzed while empty, then given a backlog of 50,000', () => {
  const db = useTestDatabase();
  let live: Awaited<ReturnType<typeof addLiveSet>>;

  beforeAll(async () => {
    await analyzeNowAndNeverAgain(db.pool);
    live = await addLiveSet(db.pool, 50_000);
  });

  itKeepsEveryHotPlan(db, () => live);
});
