import { beforeEach, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import { createSchedule, type NewSchedule } from './create-schedule.js';
import { deleteSchedule } from './delete-schedule.js';
import { getSchedule, listSchedules } from './get-schedules.js';
import { InvalidScheduleError, ScheduleNameConflictError, ScheduleNotFoundError } from './schedule-errors.js';
import { updateSchedule } from './update-schedule.js';

const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('schedule CRUD', () => {
  const db = useTestDatabase();
  beforeEach(async () => {
    await db.pool.query('truncate tasks, task_schedules');
  });

  const hourly = (overrides: Partial<NewSchedule> = {}): NewSchedule => ({
    name: 'hourly-report',
    cron: '0 * * * *',
    task_name: 'report',
    ...overrides,
  });

  async function dbNow(): Promise<number> {
    const { rows } = await db.pool.query<{ now: Date }>('select now() as now');
    return rows[0]!.now.getTime();
  }

  it('stores a schedule with its defaults and its first tick after now', async () => {
    const before = await dbNow();
    const schedule = await createSchedule(db.pool, hourly({ payload: [1, 2] }));
    expect(schedule).toMatchObject({
      name: 'hourly-report',
      cron: '0 * * * *',
      timezone: 'UTC',
      task_name: 'report',
      payload: [1, 2],
      priority: 0,
      max_retries: null,
      timeout_ms: null,
      missed_ticks: 'run_once',
      paused: false,
      last_run_at: null,
    });
    const next = schedule.next_run_at!.getTime();
    expect(next).toBeGreaterThan(before);
    expect(next).toBeLessThanOrEqual(before + 3_600_000);
    expect(new Date(next).getUTCMinutes()).toBe(0);
    expect(new Date(next).getUTCSeconds()).toBe(0);
    expect(await getSchedule(db.pool, schedule.id)).toEqual(schedule);
  });

  it('computes the first tick in the schedule time zone', async () => {
    // Midnight in Kolkata (UTC+05:30, no daylight saving) is 18:30 UTC.
    const schedule = await createSchedule(db.pool, hourly({ cron: '0 0 * * *', timezone: 'Asia/Kolkata' }));
    expect(schedule.next_run_at!.getUTCHours()).toBe(18);
    expect(schedule.next_run_at!.getUTCMinutes()).toBe(30);
  });

  it('refuses a second schedule with the same name', async () => {
    await createSchedule(db.pool, hourly());
    await expect(createSchedule(db.pool, hourly({ cron: '*/5 * * * *' }))).rejects.toThrow(ScheduleNameConflictError);
    expect(await listSchedules(db.pool)).toHaveLength(1);
  });

  it('refuses a bad cron or time zone, naming the field, and stores nothing', async () => {
    await expect(createSchedule(db.pool, hourly({ cron: '* * *' }))).rejects.toMatchObject({
      name: 'InvalidScheduleError',
      field: 'cron',
    });
    await expect(createSchedule(db.pool, hourly({ timezone: 'Not/AZone' }))).rejects.toMatchObject({ field: 'timezone' });
    expect(await listSchedules(db.pool)).toEqual([]);
  });

  it('lists schedules by name', async () => {
    for (const name of ['charlie', 'alpha', 'bravo']) await createSchedule(db.pool, hourly({ name }));
    expect((await listSchedules(db.pool)).map((schedule) => schedule.name)).toEqual(['alpha', 'bravo', 'charlie']);
  });

  it('answers ScheduleNotFoundError for an unknown id, on get, update and delete', async () => {
    await expect(getSchedule(db.pool, MISSING_ID)).rejects.toThrow(ScheduleNotFoundError);
    await expect(updateSchedule(db.pool, MISSING_ID, { paused: true })).rejects.toThrow(ScheduleNotFoundError);
    await expect(deleteSchedule(db.pool, MISSING_ID)).rejects.toThrow(ScheduleNotFoundError);
  });

  it('changes plain fields without moving next_run_at', async () => {
    const schedule = await createSchedule(db.pool, hourly());
    const changed = await updateSchedule(db.pool, schedule.id, {
      task_name: 'other',
      payload: { a: 1 },
      priority: 7,
      max_retries: 2,
      timeout_ms: 500,
      missed_ticks: 'skip',
    });
    expect(changed).toMatchObject({
      task_name: 'other',
      payload: { a: 1 },
      priority: 7,
      max_retries: 2,
      timeout_ms: 500,
      missed_ticks: 'skip',
    });
    expect(changed.next_run_at).toEqual(schedule.next_run_at);
    expect(changed.updated_at.getTime()).toBeGreaterThanOrEqual(schedule.updated_at.getTime());
    const cleared = await updateSchedule(db.pool, schedule.id, { max_retries: null, timeout_ms: null });
    expect(cleared).toMatchObject({ max_retries: null, timeout_ms: null, priority: 7 });
  });

  it('recomputes next_run_at from now when the cron expression or the time zone changes', async () => {
    const schedule = await createSchedule(db.pool, hourly());
    await db.pool.query(`update task_schedules set next_run_at = '2020-01-01T00:00:00Z' where id = $1`, [schedule.id]);
    const before = await dbNow();
    const everySecond = await updateSchedule(db.pool, schedule.id, { cron: '* * * * * *' });
    expect(everySecond.cron).toBe('* * * * * *');
    expect(everySecond.next_run_at!.getTime()).toBeGreaterThan(before);
    expect(everySecond.next_run_at!.getTime()).toBeLessThanOrEqual(before + 2_000);

    const daily = await updateSchedule(db.pool, schedule.id, { cron: '0 0 * * *', timezone: 'Asia/Kolkata' });
    expect(daily.next_run_at!.getUTCHours()).toBe(18);
    const utc = await updateSchedule(db.pool, schedule.id, { timezone: 'UTC' });
    expect(utc.next_run_at!.getUTCHours()).toBe(0);
  });

  it('refuses an invalid change and leaves the schedule as it was', async () => {
    const schedule = await createSchedule(db.pool, hourly());
    await expect(updateSchedule(db.pool, schedule.id, { cron: '99 * * * *' })).rejects.toThrow(InvalidScheduleError);
    await expect(updateSchedule(db.pool, schedule.id, { timezone: 'Atlantis/Capital' })).rejects.toThrow(InvalidScheduleError);
    expect(await getSchedule(db.pool, schedule.id)).toEqual(schedule);
  });

  it('refuses renaming onto a taken name', async () => {
    await createSchedule(db.pool, hourly({ name: 'taken' }));
    const other = await createSchedule(db.pool, hourly({ name: 'other' }));
    await expect(updateSchedule(db.pool, other.id, { name: 'taken' })).rejects.toThrow(ScheduleNameConflictError);
  });

  it('pauses, and resumes with next_run_at recomputed from now (paused ticks are not caught up)', async () => {
    const schedule = await createSchedule(db.pool, hourly({ cron: '* * * * * *' }));
    const paused = await updateSchedule(db.pool, schedule.id, { paused: true });
    expect(paused.paused).toBe(true);
    await db.pool.query(`update task_schedules set next_run_at = '2020-01-01T00:00:00Z' where id = $1`, [schedule.id]);
    const before = await dbNow();
    const resumed = await updateSchedule(db.pool, schedule.id, { paused: false });
    expect(resumed.paused).toBe(false);
    expect(resumed.next_run_at!.getTime()).toBeGreaterThan(before);
    // Resuming a schedule that runs already changes nothing.
    const again = await updateSchedule(db.pool, schedule.id, { paused: false });
    expect(again.next_run_at).toEqual(resumed.next_run_at);
  });

  it('deletes a schedule and keeps the tasks it made', async () => {
    const schedule = await createSchedule(db.pool, hourly());
    await db.pool.query(
      `insert into tasks (task_name, max_retries, schedule_id, schedule_tick) values ('report', 0, $1, '2030-01-01T00:00:00Z')`,
      [schedule.id],
    );
    await deleteSchedule(db.pool, schedule.id);
    await expect(getSchedule(db.pool, schedule.id)).rejects.toThrow(ScheduleNotFoundError);
    const { rows } = await db.pool.query('select schedule_id from tasks');
    expect(rows).toEqual([{ schedule_id: schedule.id }]);
  });
});
