import { SCHEDULES_CHANNEL } from '../../../../packages/core/src/schedules/schedule-hints.js';
import pg from 'pg';
import { beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../../../../test/support/wait-for.js';
import { useApi } from '../../test/api-test-app.js';
import { expectError, ISO, UUID } from '../../test/tasks-api-fixtures.js';

const SCHEDULE_FIELDS = [
  'id',
  'name',
  'cron',
  'timezone',
  'task_name',
  'payload',
  'priority',
  'max_retries',
  'timeout_ms',
  'missed_ticks',
  'paused',
  'next_run_at',
  'last_run_at',
  'created_at',
  'updated_at',
].sort();
const MISSING_ID = '00000000-0000-4000-8000-000000000000';

describe('schedules API', () => {
  const api = useApi();
  beforeEach(async () => {
    await api.db.pool.query('truncate tasks, task_schedules');
  });

  const send = (method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: unknown) =>
    api.app.inject({ method, url, payload: payload as never });

  async function create(body: Record<string, unknown>) {
    const res = await send('POST', '/schedules', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json();
  }

  const valid = { name: 'nightly', cron: '0 3 * * *', task_name: 'noop' };

  describe('POST /schedules', () => {
    it('answers 201 with the stored schedule, its defaults and its first tick', async () => {
      const before = Date.now();
      const schedule = await create(valid);
      expect(Object.keys(schedule).sort()).toEqual(SCHEDULE_FIELDS);
      expect(schedule).toMatchObject({
        id: expect.stringMatching(UUID),
        name: 'nightly',
        cron: '0 3 * * *',
        timezone: 'UTC',
        task_name: 'noop',
        payload: null,
        priority: 0,
        max_retries: null,
        timeout_ms: null,
        missed_ticks: 'run_once',
        paused: false,
        last_run_at: null,
        next_run_at: expect.stringMatching(ISO),
      });
      const next = new Date(schedule.next_run_at);
      expect(next.getTime()).toBeGreaterThan(before - 2_000);
      expect(next.getUTCHours()).toBe(3);
      const { rows } = await api.db.pool.query('select name from task_schedules where id = $1', [schedule.id]);
      expect(rows).toEqual([{ name: 'nightly' }]);
    });

    it('takes every field, a 6-field expression and a time zone', async () => {
      const schedule = await create({
        name: '  every-ten-seconds  ',
        cron: '*/10 * * * * *',
        timezone: 'Europe/Berlin',
        task_name: 'http',
        payload: { url: 'https://example.com' },
        priority: 9,
        max_retries: 0,
        timeout_ms: 5_000,
        missed_ticks: 'skip',
        paused: true,
      });
      expect(schedule).toMatchObject({
        name: 'every-ten-seconds',
        cron: '*/10 * * * * *',
        timezone: 'Europe/Berlin',
        payload: { url: 'https://example.com' },
        priority: 9,
        max_retries: 0,
        timeout_ms: 5_000,
        missed_ticks: 'skip',
        paused: true,
      });
      expect(new Date(schedule.next_run_at).getUTCSeconds() % 10).toBe(0);
    });

    it('computes next_run_at in the time zone across a daylight saving change (09:00 in New York)', async () => {
      const schedule = await create({ ...valid, cron: '0 9 * * *', timezone: 'America/New_York' });
      const next = new Date(schedule.next_run_at);
      const local = new Intl.DateTimeFormat('en-US', {
        timeZone: 'America/New_York',
        hour: 'numeric',
        minute: 'numeric',
        hourCycle: 'h23',
      }).format(next);
      expect(local).toBe('09:00');
    });

    it('answers 409 for a name that is taken', async () => {
      await create(valid);
      expectError(await send('POST', '/schedules', { ...valid, cron: '* * * * *' }), 409, 'a schedule named "nightly" already exists');
    });

    describe('invalid bodies answer 400 naming the field, and store nothing', () => {
      const invalid: [string, Record<string, unknown>, string, RegExp?][] = [
        ['name missing', { cron: '* * * * *', task_name: 'a' }, 'name'],
        ['name empty', { ...valid, name: ' ' }, 'name'],
        ['name too long', { ...valid, name: 'x'.repeat(256) }, 'name'],
        ['name a number', { ...valid, name: 5 }, 'name'],
        ['cron missing', { name: 'a', task_name: 'a' }, 'cron'],
        ['cron of 4 fields', { ...valid, cron: '* * * *' }, 'cron', /cron must have 5 fields .* got 4/],
        ['cron of 7 fields', { ...valid, cron: '0 0 0 1 1 * 2031' }, 'cron', /got 7/],
        ['cron a nickname', { ...valid, cron: '@daily' }, 'cron', /got 1/],
        ['cron garbage', { ...valid, cron: 'every day at high noon' }, 'cron', /cron is not a valid cron expression: .*illegal characters/],
        ['cron out of range', { ...valid, cron: '0 25 * * *' }, 'cron', /cron is not a valid cron expression: Invalid value for hour: 25/],
        ['cron that never fires', { ...valid, cron: '0 0 31 4 *' }, 'cron', /never matches a future time/],
        ['cron a number', { ...valid, cron: 5 }, 'cron'],
        ['timezone unknown', { ...valid, timezone: 'Mars/Olympus' }, 'timezone', /timezone must be an IANA time zone name/],
        ['timezone an offset', { ...valid, timezone: '+02:00' }, 'timezone'],
        ['timezone empty', { ...valid, timezone: '' }, 'timezone'],
        ['timezone null', { ...valid, timezone: null }, 'timezone'],
        ['task_name missing', { name: 'a', cron: '* * * * *' }, 'task_name'],
        ['priority fractional', { ...valid, priority: 1.5 }, 'priority'],
        ['max_retries negative', { ...valid, max_retries: -1 }, 'max_retries'],
        ['timeout_ms zero', { ...valid, timeout_ms: 0 }, 'timeout_ms'],
        ['missed_ticks unknown', { ...valid, missed_ticks: 'catch_up_all' }, 'missed_ticks', /missed_ticks must be one of run_once, skip/],
        ['paused a string', { ...valid, paused: 'yes' }, 'paused'],
        ['an unknown field', { ...valid, next_run_at: '2030-01-01T00:00:00Z' }, 'next_run_at', /next_run_at is not a known field/],
      ];
      it.each(invalid)('%s', async (_case, body, field, message) => {
        const res = await send('POST', '/schedules', body);
        const error = expectError(res, 400, message ?? field);
        expect(error.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
        const { rows } = await api.db.pool.query('select count(*)::int as n from task_schedules');
        expect(rows[0].n).toBe(0);
      });

      it('refuses a body that is not a JSON object', async () => {
        expectError(await send('POST', '/schedules', [valid]), 400, 'body must be a JSON object');
      });
    });
  });

  describe('GET /schedules and GET /schedules/:id', () => {
    it('lists schedules by name', async () => {
      for (const name of ['weekly', 'daily', 'hourly']) await create({ ...valid, name });
      const res = await send('GET', '/schedules');
      expect(res.statusCode).toBe(200);
      expect(res.json().schedules.map((schedule: { name: string }) => schedule.name)).toEqual(['daily', 'hourly', 'weekly']);
    });

    it('returns one schedule, 404 for an unknown id and 400 for a malformed one', async () => {
      const schedule = await create(valid);
      const res = await send('GET', `/schedules/${schedule.id}`);
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual(schedule);
      expectError(await send('GET', `/schedules/${MISSING_ID}`), 404, `schedule ${MISSING_ID} not found`);
      expectError(await send('GET', '/schedules/nope'), 400, 'id must be a UUID');
    });
  });

  describe('PATCH /schedules/:id', () => {
    it('changes any field; a new cron expression moves next_run_at', async () => {
      const schedule = await create(valid);
      const res = await send('PATCH', `/schedules/${schedule.id}`, { cron: '*/15 * * * *', priority: 3, max_retries: null });
      expect(res.statusCode, res.body).toBe(200);
      const changed = res.json();
      expect(changed).toMatchObject({ cron: '*/15 * * * *', priority: 3, max_retries: null, name: 'nightly' });
      expect(new Date(changed.next_run_at).getUTCMinutes() % 15).toBe(0);
      expect(changed.next_run_at).not.toBe(schedule.next_run_at);
    });

    it('pauses and resumes', async () => {
      const schedule = await create({ ...valid, cron: '* * * * * *' });
      expect((await send('PATCH', `/schedules/${schedule.id}`, { paused: true })).json().paused).toBe(true);
      await api.db.pool.query(`update task_schedules set next_run_at = '2020-01-01T00:00:00Z' where id = $1`, [schedule.id]);
      const resumed = (await send('PATCH', `/schedules/${schedule.id}`, { paused: false })).json();
      expect(resumed.paused).toBe(false);
      expect(Date.parse(resumed.next_run_at)).toBeGreaterThan(Date.parse('2026-01-01T00:00:00Z'));
    });

    it('answers 400 for an empty body, bad fields or unknown ones; 404 and 409 as POST does', async () => {
      const schedule = await create(valid);
      await create({ ...valid, name: 'taken' });
      expectError(await send('PATCH', `/schedules/${schedule.id}`, {}), 400, 'body must set at least one field');
      expectError(await send('PATCH', `/schedules/${schedule.id}`, { cron: '* *' }), 400, 'cron must have 5 fields');
      expectError(await send('PATCH', `/schedules/${schedule.id}`, { timezone: 'Moon/Base' }), 400, 'timezone must be an IANA');
      expectError(await send('PATCH', `/schedules/${schedule.id}`, { id: MISSING_ID }), 400, 'id is not a known field');
      expectError(await send('PATCH', `/schedules/${schedule.id}`, { name: 'taken' }), 409, 'already exists');
      expectError(await send('PATCH', `/schedules/${MISSING_ID}`, { paused: true }), 404, 'not found');
      const res = await send('GET', `/schedules/${schedule.id}`);
      expect(res.json()).toEqual(schedule);
    });
  });

  it('tells schedule firers about new and changed schedules (NOTIFY taskforge_schedules)', async () => {
    const listener = new pg.Client({ connectionString: api.db.url });
    await listener.connect();
    try {
      let notices = 0;
      listener.on('notification', () => (notices += 1));
      await listener.query(`listen ${SCHEDULES_CHANNEL}`);
      const schedule = await create(valid);
      await waitFor('a notice after POST', () => notices === 1);
      expect((await send('PATCH', `/schedules/${schedule.id}`, { paused: true })).statusCode).toBe(200);
      await waitFor('a notice after PATCH', () => notices === 2);
    } finally {
      await listener.end();
    }
  });

  describe('DELETE /schedules/:id', () => {
    it('answers 204, and the tasks the schedule made stay', async () => {
      const schedule = await create(valid);
      await api.db.pool.query(
        `insert into tasks (task_name, max_retries, scheduled_at, schedule_id, schedule_tick)
         values ('noop', 0, '2030-01-01T03:00:00Z', $1, '2030-01-01T03:00:00Z')`,
        [schedule.id],
      );
      const res = await send('DELETE', `/schedules/${schedule.id}`);
      expect(res.statusCode).toBe(204);
      expectError(await send('GET', `/schedules/${schedule.id}`), 404, 'not found');
      const { rows } = await api.db.pool.query('select id from tasks where schedule_id = $1', [schedule.id]);
      expect(rows).toHaveLength(1);
      const task = await send('GET', `/tasks/${rows[0].id}`);
      expect(task.json()).toMatchObject({ schedule_id: schedule.id, schedule_tick: '2030-01-01T03:00:00.000Z' });
      expectError(await send('DELETE', `/schedules/${schedule.id}`), 404, 'not found');
    });
  });
});
