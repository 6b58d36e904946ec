import { Cron } from 'croner';
import { InvalidScheduleError } from './schedule-errors.js';

/**
 * A cron expression read in a time zone, parsed once by croner (no hand-written parsing
 * beyond counting fields). Ticks are instants; croner handles daylight saving time: a fixed
 * time that does not exist (spring forward) runs at the first valid time after the gap, one
 * that occurs twice (fall back) runs once; interval expressions skip the gap and run through
 * the repeated hour. See docs/guides/schedules.md.
 */
export class CronExpression {
  private readonly cron: Cron;

  private constructor(expression: string, timezone: string) {
    this.cron = new Cron(expression, { timezone, paused: true, mode: '5-or-6-parts' });
  }

  /**
   * Parses `expression` in `timezone`; throws InvalidScheduleError naming the field at fault.
   * An expression with no tick in the future (say `0 0 30 2 *`) is refused too: it would never fire.
   */
  static parse(expression: string, timezone: string): CronExpression {
    const tzProblem = timezoneProblem(timezone);
    if (tzProblem) throw new InvalidScheduleError('timezone', tzProblem);
    const problem = fieldCountProblem(expression);
    if (problem) throw new InvalidScheduleError('cron', problem);
    let parsed: CronExpression;
    try {
      parsed = new CronExpression(expression.trim(), timezone);
    } catch (error) {
      throw new InvalidScheduleError('cron', `is not a valid cron expression: ${cronerReason(error)}`);
    }
    if (parsed.nextAfter(new Date()) === null) throw new InvalidScheduleError('cron', 'never matches a future time');
    return parsed;
  }

  /** The first tick strictly after `instant`, or null when there is none. */
  nextAfter(instant: Date): Date | null {
    return this.cron.nextRun(instant);
  }

  /** The latest tick at or before `instant`, or null when there is none. */
  latestAtOrBefore(instant: Date): Date | null {
    // previousRuns looks strictly before its reference; ticks fall on whole seconds, so 1 ms later includes `instant`.
    return this.cron.previousRuns(1, new Date(instant.getTime() + 1))[0] ?? null;
  }
}

/** Why `expression` is not a usable cron expression, or null when it is. */
export function cronProblem(expression: string): string | null {
  try {
    CronExpression.parse(expression, 'UTC');
    return null;
  } catch (error) {
    return error instanceof InvalidScheduleError ? error.problem : String(error);
  }
}

/** Why `timezone` is not an IANA time zone the runtime knows, or null when it is. */
export function timezoneProblem(timezone: string): string | null {
  const example = 'such as UTC, Europe/Berlin or America/New_York';
  // Newer runtimes accept bare offsets as time zones; an offset has no daylight saving rules, so ask for a name.
  if (/^[+-]/.test(timezone.trim()) || timezone.trim() === '') return `must be an IANA time zone name, ${example}`;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return null;
  } catch {
    return `must be an IANA time zone name, ${example}; "${timezone}" is not one`;
  }
}

/** Croner takes 5, 6 or 7 fields and nicknames (@daily); we take 5, or 6 with seconds first. */
function fieldCountProblem(expression: string): string | null {
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length === 5 || fields.length === 6) return null;
  return `must have 5 fields (minute hour day-of-month month day-of-week) or 6 (second first), ` + `got ${fields.length}: "${expression}"`;
}

/** Croner's message without its class prefix ("CronPattern: Invalid value for minute: 60" → "Invalid value for minute: 60"). */
function cronerReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^Cron\w*:\s*/, '');
}
