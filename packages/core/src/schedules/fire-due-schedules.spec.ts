import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Pool } from 'pg';
import { createPool } from '../db/create-pool.js';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { waitFor } from '../../../../test/support/wait-for.js';
import { createSchedule, type NewSchedule } from './create-schedule.js';
import { deleteSchedule } from './delete-schedule.js';
import { fireDueSchedules } from './fire-due-schedules.js';
import { getSchedule } from './get-schedules.js';
import type { Schedule } from './schedule.js';
import { updateSchedule } from './update-schedule.js';

const at = (iso: string) => new Date(iso);

interface MadeTask {
  schedule_id: string;
  schedule_tick: Date;
  scheduled_at: Date;
  task_name: string;
  payload: unknown;
  priority: number;
  max_retries: number;
  timeout_ms: number | null;
  status: string;
}

describe('fireDueSchedules', () => {
  const db = useTestDatabase();
  const extraPools: Pool[] = [];
  beforeEach(async () => {
    await db.pool.query('truncate tasks, task_schedules');
  });
  afterEach(async () => {
    for (const pool of extraPools.splice(0)) await pool.end();
  });

  /** A schedule whose next tick is `nextRunAt` (set directly, as if time had passed). */
  async function scheduleDueAt(nextRunAt: string, overrides: Partial<NewSchedule> = {}): Promise<Schedule> {
    const schedule = await createSchedule(db.pool, { name: `s-${Math.random()}`, cron: '0 * * * *', task_name: 'report', ...overrides });
    await db.pool.query('update task_schedules set next_run_at = $2 where id = $1', [schedule.id, nextRunAt]);
    return schedule;
  }

  async function madeTasks(): Promise<MadeTask[]> {
    const { rows } = await db.pool.query<MadeTask>(
      `select schedule_id, schedule_tick, scheduled_at, task_name, payload, priority, max_retries, timeout_ms, status
         from tasks order by schedule_id, schedule_tick`,
    );
    return rows;
  }

  it('makes one task for a due tick, with scheduled_at = the tick and the schedule named, then waits for the next tick', async () => {
    const schedule = await scheduleDueAt('2030-01-01T10:00:00Z', { payload: { n: 1 }, priority: 5, max_retries: 2, timeout_ms: 900 });
    const fired = await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T10:00:00.250Z') });
    expect(fired).toEqual([
      {
        schedule_id: schedule.id,
        tick: at('2030-01-01T10:00:00Z'),
        task_id: expect.any(String),
        missed: 0,
        next_run_at: at('2030-01-01T11:00:00Z'),
      },
    ]);
    expect(await madeTasks()).toEqual([
      {
        schedule_id: schedule.id,
        schedule_tick: at('2030-01-01T10:00:00Z'),
        scheduled_at: at('2030-01-01T10:00:00Z'),
        task_name: 'report',
        payload: { n: 1 },
        priority: 5,
        max_retries: 2,
        timeout_ms: 900,
        status: 'pending',
      },
    ]);
    expect(await getSchedule(db.pool, schedule.id)).toMatchObject({
      next_run_at: at('2030-01-01T11:00:00Z'),
      last_run_at: at('2030-01-01T10:00:00Z'),
    });

    // Nothing more is due until 11:00; then the next tick makes its own task.
    expect(await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T10:59:59Z') })).toEqual([]);
    await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T11:00:01Z') });
    expect((await madeTasks()).map((task) => task.schedule_tick)).toEqual([at('2030-01-01T10:00:00Z'), at('2030-01-01T11:00:00Z')]);
  });

  it("gives a task without the schedule's own max_retries the firing worker's default", async () => {
    await scheduleDueAt('2030-01-01T10:00:00Z');
    await fireDueSchedules(db.pool, { defaultMaxRetries: 4, now: at('2030-01-01T10:00:01Z') });
    expect((await madeTasks())[0]).toMatchObject({ max_retries: 4, timeout_ms: null, payload: null, priority: 0 });
  });

  it('never fires a paused schedule', async () => {
    const schedule = await scheduleDueAt('2030-01-01T10:00:00Z');
    await updateSchedule(db.pool, schedule.id, { paused: true });
    await db.pool.query(`update task_schedules set next_run_at = '2030-01-01T10:00:00Z' where id = $1`, [schedule.id]);
    for (const now of ['2030-01-01T10:00:01Z', '2030-01-01T12:30:00Z', '2031-01-01T00:00:00Z']) {
      expect(await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at(now) })).toEqual([]);
    }
    expect(await madeTasks()).toEqual([]);
  });

  it('makes no second task for a tick that already has one, and still moves on', async () => {
    const schedule = await scheduleDueAt('2030-01-01T10:00:00Z');
    await db.pool.query(
      `insert into tasks (task_name, max_retries, scheduled_at, schedule_id, schedule_tick)
       values ('report', 0, '2030-01-01T10:00:00Z', $1, '2030-01-01T10:00:00Z')`,
      [schedule.id],
    );
    const [fired] = await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T10:00:01Z') });
    expect(fired).toMatchObject({ tick: at('2030-01-01T10:00:00Z'), task_id: null, next_run_at: at('2030-01-01T11:00:00Z') });
    expect(await madeTasks()).toHaveLength(1);
  });

  describe('after an outage (every worker down from 10:00 to 13:30, hourly schedule)', () => {
    const outage = { due: '2030-01-01T10:00:00Z', now: at('2030-01-01T13:30:00Z') };

    it('run_once makes one task, for the latest missed tick', async () => {
      const schedule = await scheduleDueAt(outage.due, { missed_ticks: 'run_once' });
      const fired = await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: outage.now });
      // 10, 11, 12 and 13 o'clock were due; 13:00 got the one task, the three before it none.
      expect(fired).toEqual([
        {
          schedule_id: schedule.id,
          tick: at('2030-01-01T13:00:00Z'),
          task_id: expect.any(String),
          missed: 3,
          next_run_at: at('2030-01-01T14:00:00Z'),
        },
      ]);
      expect((await madeTasks()).map((task) => task.scheduled_at)).toEqual([at('2030-01-01T13:00:00Z')]);
    });

    it('skip makes no task for the missed ticks and waits for the next one', async () => {
      const schedule = await scheduleDueAt(outage.due, { missed_ticks: 'skip' });
      const fired = await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: outage.now });
      expect(fired).toEqual([{ schedule_id: schedule.id, tick: null, task_id: null, missed: 4, next_run_at: at('2030-01-01T14:00:00Z') }]);
      expect(await madeTasks()).toEqual([]);
      expect((await getSchedule(db.pool, schedule.id)).last_run_at).toBeNull();
      // The next tick fires as usual.
      await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T14:00:02Z') });
      expect((await madeTasks()).map((task) => task.scheduled_at)).toEqual([at('2030-01-01T14:00:00Z')]);
    });
  });

  it('skip still fires the latest due tick when it is on time, even if earlier ones were missed', async () => {
    // Every minute; ticks 10:00 to 10:05 due, 10:05 only 10 s ago.
    await scheduleDueAt('2030-01-01T10:00:00Z', { cron: '* * * * *', missed_ticks: 'skip' });
    const [fired] = await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T10:05:10Z') });
    expect(fired).toMatchObject({ tick: at('2030-01-01T10:05:00Z'), missed: 5, next_run_at: at('2030-01-01T10:06:00Z') });
    expect(await madeTasks()).toHaveLength(1);
  });

  it('counts a single tick later than the grace as missed: skip drops it, run_once still runs it', async () => {
    const skip = await scheduleDueAt('2030-01-01T10:00:00Z', { missed_ticks: 'skip' });
    const runOnce = await scheduleDueAt('2030-01-01T10:00:00Z', { missed_ticks: 'run_once' });
    const fired = await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T10:02:00Z'), missedTickGraceMs: 60_000 });
    const byId = new Map(fired.map((outcome) => [outcome.schedule_id, outcome]));
    expect(byId.get(skip.id)).toMatchObject({ tick: null, missed: 1 });
    expect(byId.get(runOnce.id)).toMatchObject({ tick: at('2030-01-01T10:00:00Z'), missed: 0 });
    expect((await madeTasks()).map((task) => task.schedule_id)).toEqual([runOnce.id]);
  });

  it('parks a schedule whose stored expression cannot be read, and fires the others', async () => {
    const broken = await scheduleDueAt('2030-01-01T10:00:00Z');
    const healthy = await scheduleDueAt('2030-01-01T10:00:00Z');
    await db.pool.query(`update task_schedules set cron = 'not a cron at all' where id = $1`, [broken.id]);
    await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T10:00:01Z') });
    expect((await getSchedule(db.pool, broken.id)).next_run_at).toBeNull();
    expect((await madeTasks()).map((task) => task.schedule_id)).toEqual([healthy.id]);
  });

  it('leaves the tasks a deleted schedule made', async () => {
    const schedule = await scheduleDueAt('2030-01-01T10:00:00Z');
    await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T10:00:01Z') });
    await deleteSchedule(db.pool, schedule.id);
    expect(await madeTasks()).toMatchObject([{ schedule_id: schedule.id, status: 'pending' }]);
    expect(await fireDueSchedules(db.pool, { defaultMaxRetries: 3, now: at('2030-01-01T11:00:01Z') })).toEqual([]);
  });

  describe('with many firers at once, each on connections of its own', () => {
    async function firers(count: number): Promise<Pool[]> {
      for (let i = 0; i < count; i += 1) extraPools.push(createPool({ connectionString: db.url, max: 2 }));
      return extraPools;
    }

    it('makes exactly one task per schedule and tick, tick after tick', async () => {
      const schedules = await Promise.all(Array.from({ length: 5 }, () => scheduleDueAt('2030-01-01T10:00:00Z', { cron: '* * * * * *' })));
      const pools = await firers(8);
      const rounds = 10;
      for (let second = 0; second < rounds; second += 1) {
        const now = new Date(Date.parse('2030-01-01T10:00:00.500Z') + second * 1_000);
        const results = await Promise.all(pools.map((pool) => fireDueSchedules(pool, { defaultMaxRetries: 3, now })));
        // Each schedule was fired by exactly one of the eight.
        expect(results.flat().filter((outcome) => outcome.task_id).length).toBe(schedules.length);
      }
      const tasks = await madeTasks();
      expect(tasks).toHaveLength(schedules.length * rounds);
      for (const schedule of schedules) {
        const ticks = tasks.filter((task) => task.schedule_id === schedule.id).map((task) => task.schedule_tick.getTime());
        expect(ticks).toEqual(Array.from({ length: rounds }, (_, second) => Date.parse('2030-01-01T10:00:00Z') + second * 1_000));
      }
    });

    it('makes exactly one task per tick on the real clock, firers looping every few milliseconds', async () => {
      const schedule = await createSchedule(db.pool, { name: 'every-second', cron: '* * * * * *', task_name: 'tick' });
      const pools = await firers(6);
      let running = true;
      const loops = pools.map(async (pool) => {
        while (running) {
          await fireDueSchedules(pool, { defaultMaxRetries: 3 });
          await new Promise((resolve) => setTimeout(resolve, 5));
        }
      });
      try {
        await waitFor('three ticks fired', async () => (await madeTasks()).length >= 3, { timeoutMs: 20_000 });
      } finally {
        running = false;
        await Promise.all(loops);
      }
      const tasks = await madeTasks();
      const ticks = tasks.map((task) => task.schedule_tick.getTime());
      expect(new Set(ticks).size).toBe(ticks.length);
      for (const task of tasks) {
        expect(task.schedule_id).toBe(schedule.id);
        expect(task.scheduled_at).toEqual(task.schedule_tick);
        expect(task.schedule_tick.getUTCMilliseconds()).toBe(0);
      }
    });
  });
});
