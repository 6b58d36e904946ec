import { describe, expect, it } from 'vitest';
import { cronProblem, CronExpression, timezoneProblem } from './cron-expression.js';
import { InvalidScheduleError } from './schedule-errors.js';

const iso = (date: Date | null) => date?.toISOString() ?? null;

describe('CronExpression', () => {
  it('takes 5 fields, or 6 with seconds first', () => {
    expect(cronProblem('*/5 * * * *')).toBeNull();
    expect(cronProblem('  0 9 * * MON-FRI ')).toBeNull();
    expect(cronProblem('*/10 * * * * *')).toBeNull();
    const everySecond = CronExpression.parse('* * * * * *', 'UTC');
    expect(iso(everySecond.nextAfter(new Date('2030-01-01T00:00:00.000Z')))).toBe('2030-01-01T00:00:01.000Z');
    const everyFiveMinutes = CronExpression.parse('*/5 * * * *', 'UTC');
    expect(iso(everyFiveMinutes.nextAfter(new Date('2030-01-01T00:01:30.000Z')))).toBe('2030-01-01T00:05:00.000Z');
  });

  it('refuses any other number of fields, naming the count (croner would take 7 fields and nicknames)', () => {
    expect(cronProblem('* * * *')).toMatch(/must have 5 fields .* or 6 \(second first\), got 4/);
    expect(cronProblem('0 0 0 1 1 * 2031')).toMatch(/got 7/);
    expect(cronProblem('@daily')).toMatch(/got 1/);
    expect(cronProblem('')).toMatch(/got 0/);
  });

  it("refuses an invalid expression with croner's reason", () => {
    expect(cronProblem('60 * * * *')).toBe('is not a valid cron expression: Invalid value for minute: 60');
    expect(cronProblem('every day at high noon')).toMatch(/^is not a valid cron expression: .*illegal characters/);
    expect(cronProblem('*/0 * * * *')).toMatch(/^is not a valid cron expression: .*stepping/);
  });

  it('refuses an expression that never matches a future time', () => {
    expect(cronProblem('0 0 30 2 *')).toBe('never matches a future time');
  });

  it('refuses unknown time zones and bare offsets, naming the timezone field', () => {
    expect(timezoneProblem('Europe/Berlin')).toBeNull();
    expect(timezoneProblem('UTC')).toBeNull();
    expect(timezoneProblem('Mars/Olympus')).toMatch(/must be an IANA time zone name.*"Mars\/Olympus" is not one/);
    expect(timezoneProblem('+02:00')).toMatch(/must be an IANA time zone name/);
    expect(() => CronExpression.parse('* * * * *', 'Nowhere/Town')).toThrow(InvalidScheduleError);
    try {
      CronExpression.parse('* * * * *', 'Nowhere/Town');
    } catch (error) {
      expect((error as InvalidScheduleError).field).toBe('timezone');
    }
  });

  it('reads the expression in its time zone, across daylight saving changes', () => {
    // 09:00 in New York: 14:00 UTC in winter (EST), 13:00 UTC from 9 March 2025 (EDT).
    const nineInNewYork = CronExpression.parse('0 9 * * *', 'America/New_York');
    const ticks: Array<string | null> = [];
    let after = new Date('2025-03-07T15:00:00Z');
    for (let i = 0; i < 3; i += 1) {
      const tick = nineInNewYork.nextAfter(after)!;
      ticks.push(iso(tick));
      after = tick;
    }
    expect(ticks).toEqual(['2025-03-08T14:00:00.000Z', '2025-03-09T13:00:00.000Z', '2025-03-10T13:00:00.000Z']);

    // 02:30 does not exist in Berlin on 30 March 2025 (02:00 → 03:00): it runs at 03:00 CEST that day.
    const halfPastTwoInBerlin = CronExpression.parse('30 2 * * *', 'Europe/Berlin');
    expect(iso(halfPastTwoInBerlin.nextAfter(new Date('2025-03-29T12:00:00Z')))).toBe('2025-03-30T01:00:00.000Z');
    // 02:30 happens twice on 26 October 2025 (03:00 → 02:00): it runs once, at the first.
    const autumn = halfPastTwoInBerlin.nextAfter(new Date('2025-10-25T12:00:00Z'))!;
    expect(iso(autumn)).toBe('2025-10-26T00:30:00.000Z');
    expect(iso(halfPastTwoInBerlin.nextAfter(autumn))).toBe('2025-10-27T01:30:00.000Z');
  });

  it('finds the latest tick at or before an instant', () => {
    const hourly = CronExpression.parse('0 * * * *', 'UTC');
    expect(iso(hourly.latestAtOrBefore(new Date('2030-01-01T10:59:59.999Z')))).toBe('2030-01-01T10:00:00.000Z');
    expect(iso(hourly.latestAtOrBefore(new Date('2030-01-01T11:00:00.000Z')))).toBe('2030-01-01T11:00:00.000Z');
  });
});
