import { FINAL_STATES, QUEUED_STATES, TASK_STATES, TASK_STATUSES, isAwaitingRetry, isFinal, isQueued, taskState } from '@taskforge/model';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';

/**
 * The task states are defined twice, once per language: packages/model/src/task-states.ts and
 * packages/core/sql/task-states.sql. This pins the two together, case by case.
 */
describe('task states: the SQL and the TypeScript definitions agree', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(() => db.drop());

  const cases = TASK_STATUSES.flatMap((status) => [
    { status, next_retry_at: null },
    { status, next_retry_at: new Date('2030-01-01T00:00:00Z') },
  ]);

  it.each(cases)('%o', async (task) => {
    const { rows } = await db.pool.query<{ state: string; queued: boolean; final: boolean }>(
      `select taskforge_task_state($1, $2) as state,
              taskforge_task_is_queued($1, $2) as queued,
              taskforge_task_is_final($1, $2) as final`,
      [task.status, task.next_retry_at],
    );
    expect(rows[0]).toEqual({ state: taskState(task), queued: isQueued(task), final: isFinal(task) });
  });

  it('the statuses are the ones the table accepts, in the same order', async () => {
    const { rows } = await db.pool.query<{ definition: string }>(
      `select pg_get_constraintdef(oid) as definition from pg_constraint where conname = 'tasks_status_check'`,
    );
    const listed = [...rows[0]!.definition.matchAll(/'([a-z_]+)'::text/g)].map((match) => match[1]);
    expect(listed).toEqual([...TASK_STATUSES]);
  });

  it('every state is queued, running or final, exactly one of them', () => {
    for (const state of TASK_STATES) {
      const kinds = [
        (QUEUED_STATES as readonly string[]).includes(state),
        state === 'running',
        (FINAL_STATES as readonly string[]).includes(state),
      ];
      expect(kinds.filter(Boolean), state).toHaveLength(1);
    }
  });

  it('awaiting a retry is failed with next_retry_at set, and queued', () => {
    const retrying = { status: 'failed', next_retry_at: '2030-01-01T00:00:00.000Z' } as const;
    expect([isAwaitingRetry(retrying), isQueued(retrying), isFinal(retrying)]).toEqual([true, true, false]);
    const forGood = { status: 'failed', next_retry_at: null } as const;
    expect([isAwaitingRetry(forGood), isQueued(forGood), isFinal(forGood)]).toEqual([false, false, true]);
  });
});
