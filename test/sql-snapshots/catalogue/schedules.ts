import { createSchedule } from '../../../packages/core/src/schedules/create-schedule.js';
import { databaseNow } from '../../../packages/core/src/schedules/database-now.js';
import { deleteSchedule } from '../../../packages/core/src/schedules/delete-schedule.js';
import { fireDueSchedules } from '../../../packages/core/src/schedules/fire-due-schedules.js';
import { getSchedule, listSchedules } from '../../../packages/core/src/schedules/get-schedules.js';
import { announceScheduleChange, msUntilNextScheduleTick } from '../../../packages/core/src/schedules/schedule-hints.js';
import { updateSchedule } from '../../../packages/core/src/schedules/update-schedule.js';
import { dueSchedule, NIGHTLY_REPORT, storedSchedule } from './fixtures.js';
import { refusedWith, scenario, type ModuleScenarios } from './scenario.js';

/** The statements of packages/core/src/schedules/. */
export const SCHEDULES_SCENARIOS: ModuleScenarios[] = [
  {
    module: 'schedules/create-schedule.ts',
    scenarios: [
      scenario({
        call: "createSchedule(db, { name: 'nightly-report', cron: '0 3 * * *', timezone: 'Europe/Paris', task_name: 'report', payload })",
        run: ({ pool }) => createSchedule(pool, NIGHTLY_REPORT),
      }),
    ],
  },
  {
    module: 'schedules/database-now.ts',
    scenarios: [scenario({ call: 'databaseNow(db)', run: ({ pool }) => databaseNow(pool) })],
  },
  {
    module: 'schedules/delete-schedule.ts',
    scenarios: [
      scenario({
        call: 'deleteSchedule(db, id)',
        setup: ({ pool }) => storedSchedule(pool),
        run: ({ pool }, s) => deleteSchedule(pool, s.id),
      }),
    ],
  },
  {
    module: 'schedules/fire-due-schedules.ts',
    scenarios: [
      scenario({
        call: 'fireDueSchedules(pool, { defaultMaxRetries: 3 }) with one schedule due',
        setup: ({ pool }) => dueSchedule(pool),
        run: ({ pool }) => fireDueSchedules(pool, { defaultMaxRetries: 3 }),
      }),
      scenario({
        call: 'fireDueSchedules(pool, { defaultMaxRetries: 3 }) with a due schedule whose cron no longer parses: parked',
        setup: async ({ pool }) => {
          const stored = await dueSchedule(pool);
          await pool.query(`update task_schedules set cron = 'not a cron' where id = $1`, [stored.id]);
        },
        run: ({ pool }) => fireDueSchedules(pool, { defaultMaxRetries: 3 }),
      }),
      scenario({
        call: 'fireDueSchedules(pool, { defaultMaxRetries: -1 }) whose task insert fails: rolled back',
        setup: ({ pool }) => dueSchedule(pool),
        run: ({ pool }) => refusedWith(Error, fireDueSchedules(pool, { defaultMaxRetries: -1 })),
      }),
    ],
  },
  {
    module: 'schedules/get-schedules.ts',
    scenarios: [
      scenario({ call: 'getSchedule(db, id)', setup: ({ pool }) => storedSchedule(pool), run: ({ pool }, s) => getSchedule(pool, s.id) }),
      scenario({ call: 'listSchedules(db)', run: ({ pool }) => listSchedules(pool) }),
    ],
  },
  {
    module: 'schedules/schedule-hints.ts',
    scenarios: [
      scenario({ call: 'announceScheduleChange(db)', run: ({ pool }) => announceScheduleChange(pool) }),
      scenario({ call: 'msUntilNextScheduleTick(db)', run: ({ pool }) => msUntilNextScheduleTick(pool) }),
    ],
  },
  {
    module: 'schedules/update-schedule.ts',
    scenarios: [
      scenario({
        call: 'updateSchedule(db, id, { priority: 5, payload }): plain columns, next_run_at kept',
        setup: ({ pool }) => storedSchedule(pool),
        run: ({ pool }, s) => updateSchedule(pool, s.id, { priority: 5, payload: { kind: 'weekly' } }),
      }),
      scenario({
        call: "updateSchedule(db, id, { cron: '0 4 * * *' }): a new tick, from the database's now",
        setup: ({ pool }) => storedSchedule(pool),
        run: ({ pool }, s) => updateSchedule(pool, s.id, { cron: '0 4 * * *' }),
      }),
      scenario({
        call: 'updateSchedule(db, id, { paused: false }) of a paused schedule: resumed at its next tick',
        setup: ({ pool }) => storedSchedule(pool, { paused: true }),
        run: ({ pool }, s) => updateSchedule(pool, s.id, { paused: false }),
      }),
    ],
  },
];
