import { describe, expect, it } from 'vitest';
import { draftToBody, emptyDraft, knownTimeZones, type ScheduleDraft } from './schedule-draft';

const draft = (fields: Partial<ScheduleDraft>): ScheduleDraft => ({
  ...emptyDraft(),
  name: 'n',
  cron: '* * * * *',
  task_name: 'noop',
  ...fields,
});

describe('draftToBody', () => {
  it('starts in the browser time zone with priority 0 and no payload or max retries', () => {
    const browserZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    expect(emptyDraft()).toMatchObject({ timezone: browserZone, priority: '0', payload: '', max_retries: '' });
  });

  it('trims the text fields and turns numbers and JSON into values', () => {
    const result = draftToBody({
      name: ' nightly ',
      cron: ' 0 3 * * * ',
      timezone: ' Europe/Berlin ',
      task_name: ' report ',
      payload: '{"a": [1, null]}',
      priority: '-2',
      max_retries: '0',
      missed_ticks: 'skip',
    });
    expect(result).toEqual({
      ok: true,
      body: {
        name: 'nightly',
        cron: '0 3 * * *',
        timezone: 'Europe/Berlin',
        task_name: 'report',
        payload: { a: [1, null] },
        priority: -2,
        max_retries: 0,
        missed_ticks: 'skip',
      },
    });
  });

  it('leaves out an empty payload, priority and max retries, so the API applies its defaults', () => {
    const result = draftToBody(draft({ payload: '  \n', priority: '', max_retries: '' }));
    expect(result.ok && Object.keys(result.body).sort()).toEqual(['cron', 'missed_ticks', 'name', 'task_name', 'timezone']);
  });

  it('sends a JSON null or a bare value as the payload', () => {
    expect(draftToBody(draft({ payload: 'null' }))).toMatchObject({ ok: true, body: { payload: null } });
    expect(draftToBody(draft({ payload: '"text"' }))).toMatchObject({ ok: true, body: { payload: 'text' } });
  });

  it('refuses a payload that is not JSON, naming the field and where the mistake is', () => {
    const result = draftToBody(draft({ payload: '{\n  "a": 1\n  "b": 2\n}' }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.field).toBe('payload');
    expect(!result.ok && result.message).toMatch(/^payload is not valid JSON: .+ \(line 3, column 3\)$/);
  });
});

describe('knownTimeZones', () => {
  it('lists UTC first, once, then the IANA zones the runtime knows', () => {
    const zones = knownTimeZones();
    expect(zones[0]).toBe('UTC');
    expect(zones.filter((zone) => zone === 'UTC')).toHaveLength(1);
    expect(zones).toEqual(expect.arrayContaining(['Europe/Berlin', 'America/New_York']));
  });
});
