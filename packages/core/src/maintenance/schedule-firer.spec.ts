import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { createSchedule } from '../schedules/create-schedule.js';
import { announceScheduleChange } from '../schedules/schedule-hints.js';
import { ScheduleFirer, type ScheduleFirerOptions } from './schedule-firer.js';

/** A logger that keeps every line, so tests can see what the firer reported. */
function recordingLogger() {
  const lines: Array<{ level: number; msg: string }> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(JSON.parse(line)) });
  return { logger, lines };
}

describe('ScheduleFirer', () => {
  const db = useTestDatabase();
  const firers: ScheduleFirer[] = [];
  beforeEach(async () => {
    await db.pool.query('truncate tasks, task_schedules');
  });
  afterEach(async () => {
    for (const firer of firers.splice(0)) await firer.stop();
  });

  function startFirer(options: Partial<ScheduleFirerOptions> = {}) {
    const { logger, lines } = recordingLogger();
    const firer = new ScheduleFirer({ pool: db.pool, logger, intervalMs: 1_000, defaultMaxRetries: 3, ...options });
    firers.push(firer);
    firer.start();
    return { firer, lines };
  }

  /** Open connections listening for schedule hints. */
  async function listeners(): Promise<number> {
    const { rows } = await db.pool.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and application_name = 'taskforge-schedule-listener'`,
    );
    return rows[0]!.n;
  }

  async function taskTicks(): Promise<number[]> {
    const { rows } = await db.pool.query<{ tick: Date }>('select schedule_tick as tick from tasks order by schedule_tick');
    return rows.map((row) => row.tick.getTime());
  }

  it('fires an every-second schedule tick after tick, one task each', async () => {
    await createSchedule(db.pool, { name: 'every-second', cron: '* * * * * *', task_name: 'noop' });
    const { firer } = startFirer();
    await waitFor('three ticks', () => firer.fired >= 3);
    const ticks = await taskTicks();
    expect(ticks.length).toBeGreaterThanOrEqual(3);
    expect(new Set(ticks).size).toBe(ticks.length);
  });

  it('wakes for a new schedule when told, long before its interval ends', async () => {
    // With nothing to fire, this firer would next look in 10 minutes.
    startFirer({ intervalMs: 600_000 });
    await waitFor('the listener to connect', async () => (await listeners()) === 1);
    // Let its first look (and the wake-up every connect brings) pass, so it is asleep.
    await new Promise((resolve) => setTimeout(resolve, 200));
    await createSchedule(db.pool, { name: 'soon', cron: '* * * * * *', task_name: 'noop' });
    await announceScheduleChange(db.pool);
    await waitFor('the first tick of the new schedule', async () => (await taskTicks()).length >= 1, { timeoutMs: 20_000 });
  });

  it('survives database errors: logs them, backs off, and fires again once the database answers', async () => {
    await db.pool.query('alter table task_schedules rename to task_schedules_away');
    const { lines } = startFirer({ intervalMs: 50, listen: false });
    try {
      await waitFor('two failed looks', () => lines.filter((line) => line.msg === 'firing schedules failed').length >= 2);
    } finally {
      await db.pool.query('alter table task_schedules_away rename to task_schedules');
    }
    await createSchedule(db.pool, { name: 'after-the-outage', cron: '* * * * * *', task_name: 'noop' });
    await waitFor('a tick fired after the errors', async () => (await taskTicks()).length >= 1, { timeoutMs: 20_000 });
    expect(lines.some((line) => line.msg === 'database reachable again, firing schedules resumed')).toBe(true);
  });

  it('stops cleanly: the loop ends and its listening connection closes', async () => {
    const { firer } = startFirer();
    await waitFor('the listener to connect', async () => (await listeners()) === 1);
    await firer.stop();
    await waitFor('the listener to disconnect', async () => (await listeners()) === 0);
  });
});
