import type { INestApplicationContext } from '@nestjs/common';
import { announceScheduleChange, createSchedule } from '@taskforge/core';
import { TASKS_CHANNEL } from '../../../../packages/core/src/notify/channel.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { add, startWorkerApp, waitFor, waitForTask } from '../../test/worker-test-app.js';

const WORKER_ID = 'listener-spec-worker';

/**
 * One LISTEN connection per worker process: the claim loop (task and cancel hints) and the
 * schedule firer share it. Polling and schedule intervals are a minute long here, so anything
 * picked up within seconds was woken through that connection.
 */
describe('worker app: one LISTEN connection', () => {
  let db: TestDatabase;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await startWorkerApp(db.url, {
      env: { WORKER_ID, WORKER_POLLING_INTERVAL_MS: '60000', SCHEDULER_INTERVAL_MS: '60000' },
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  });

  /** pids of this database's connections per application_name. */
  async function connections(applicationName: string): Promise<number[]> {
    const { rows } = await db.pool.query<{ pid: number }>(
      'select pid from pg_stat_activity where datname = current_database() and application_name = $1',
      [applicationName],
    );
    return rows.map((row) => row.pid);
  }

  async function wokenThroughTheListener(): Promise<void> {
    const task = await add(db.pool, { task_name: 'noop' });
    await db.pool.query('select pg_notify($1, $2)', [TASKS_CHANNEL, '0']);
    await waitForTask(db.pool, task.id, 'completed');
    const { name } = await createSchedule(db.pool, { name: `every-second-${task.id}`, cron: '* * * * * *', task_name: 'noop' });
    await announceScheduleChange(db.pool);
    await waitFor(`a task made by schedule ${name}`, async () => {
      const { rows } = await db.pool.query('select 1 from tasks t join task_schedules s on s.id = t.schedule_id where s.name = $1', [name]);
      return rows.length > 0;
    });
  }

  it('wakes the claim loop and the schedule firer through a single connection', async () => {
    await waitFor('the listener to connect', async () => (await connections(`taskforge-listener ${WORKER_ID}`)).length === 1);
    await wokenThroughTheListener();
    expect(await connections(`taskforge-listener ${WORKER_ID}`)).toHaveLength(1);
    expect(await connections('taskforge-schedule-listener')).toEqual([]);
    expect(await connections('taskforge-listener')).toEqual([]);
  });

  it('serves both again after that connection is killed, still with one', async () => {
    const [pid] = await connections(`taskforge-listener ${WORKER_ID}`);
    await db.pool.query('select pg_terminate_backend($1)', [pid]);
    await waitFor(
      'a new listener connection',
      async () => {
        const pids = await connections(`taskforge-listener ${WORKER_ID}`);
        return pids.length === 1 && pids[0] !== pid;
      },
      { timeoutMs: 15_000 },
    );
    await wokenThroughTheListener();
    expect(await connections(`taskforge-listener ${WORKER_ID}`)).toHaveLength(1);
  });

  it('closes it with the app', async () => {
    await app!.close();
    app = undefined;
    await waitFor('the listener connection closed', async () => (await connections(`taskforge-listener ${WORKER_ID}`)).length === 0);
  });
});
