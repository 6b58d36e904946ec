import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSchedule, updateSchedule } from '../../packages/core/src/index.js';
import { waitFor } from '../support/processes.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';
import { startFixtureWorker, type WorkerProcess } from '../support/workers.js';

interface ScheduledTask {
  schedule_tick: Date;
  scheduled_at: Date;
  status: string;
}

/** Two real worker processes firing one every-second schedule: each tick makes exactly one task. */
describe('a recurring schedule with two worker processes', () => {
  let db: TestDatabase | undefined;
  const workers: WorkerProcess[] = [];

  afterEach(() => {
    for (const worker of workers.splice(0)) if (worker.child.exitCode === null) worker.child.kill('SIGKILL');
  });
  afterAll(async () => {
    await db?.drop();
  });

  it('makes exactly one task per tick, with scheduled_at = the tick, and they complete', async () => {
    db = await createTestDatabase();
    for (const id of ['sched-w1', 'sched-w2']) workers.push(await startFixtureWorker(db.url, id));
    const schedule = await createSchedule(db.pool, { name: 'every-second', cron: '* * * * * *', task_name: 'noop' });

    const tasks = async () =>
      (
        await db!.pool.query<ScheduledTask>(
          'select schedule_tick, scheduled_at, status from tasks where schedule_id = $1 order by schedule_tick',
          [schedule.id],
        )
      ).rows;
    await waitFor('five ticks fired', async () => (await tasks()).length >= 5, { timeoutMs: 30_000 });
    // No new ticks from here on, so the count below is final once they have all run.
    await updateSchedule(db.pool, schedule.id, { paused: true });
    await waitFor('every scheduled task to complete', async () => (await tasks()).every((task) => task.status === 'completed'), {
      timeoutMs: 30_000,
    });

    const fired = await tasks();
    expect(fired.length).toBeGreaterThanOrEqual(5);
    const ticks = fired.map((task) => task.schedule_tick.getTime());
    expect(new Set(ticks).size).toBe(ticks.length);
    for (const task of fired) {
      expect(task.scheduled_at).toEqual(task.schedule_tick);
      expect(task.schedule_tick.getUTCMilliseconds()).toBe(0);
    }
    // Both workers stayed up throughout.
    for (const worker of workers) expect(worker.child.exitCode).toBeNull();
  }, 180_000); // two process start-ups on a loaded machine, then the ticks
});
