import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { useClientApi } from '../../../test/support/client-api.js';
import { NotFoundError, ValidationError } from './errors.js';

/** client.schedules and client.health, against the real API over HTTP. */
describe('TaskforgeClient schedules', () => {
  const api = useClientApi();

  it('create, get, list, update, pause, resume and delete a schedule', async () => {
    const { schedules } = api.client();
    const name = `nightly-${randomUUID().slice(0, 8)}`;
    const created = await schedules.create({
      name,
      cron: '0 3 * * *',
      timezone: 'Europe/Paris',
      task_name: 'noop',
      payload: { a: 1 },
      max_retries: 2,
    });
    expect(created).toMatchObject({
      name,
      cron: '0 3 * * *',
      timezone: 'Europe/Paris',
      task_name: 'noop',
      payload: { a: 1 },
      max_retries: 2,
      paused: false,
    });
    expect(created.next_run_at).toEqual(expect.any(String));
    expect(await schedules.get(created.id)).toEqual(created);
    expect((await schedules.list()).map((schedule) => schedule.id)).toContain(created.id);

    const updated = await schedules.update(created.id, { cron: '30 4 * * *', max_retries: null, missed_ticks: 'skip' });
    expect(updated).toMatchObject({ id: created.id, cron: '30 4 * * *', max_retries: null, missed_ticks: 'skip' });
    expect((await schedules.pause(created.id)).paused).toBe(true);
    expect((await schedules.resume(created.id)).paused).toBe(false);

    await expect(schedules.delete(created.id)).resolves.toBeUndefined();
    await expect(schedules.get(created.id)).rejects.toBeInstanceOf(NotFoundError);
    expect((await schedules.list()).map((schedule) => schedule.id)).not.toContain(created.id);
  });

  it('a bad cron expression is a ValidationError naming the field', async () => {
    const error = await api
      .client()
      .schedules.create({ name: 'bad', cron: 'every day', task_name: 'noop' })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fieldErrors.map((problem) => problem.field)).toEqual(['cron']);
  });

  it('health answers ok', async () => {
    expect(await api.client().health()).toEqual({ status: 'ok' });
  });
});
