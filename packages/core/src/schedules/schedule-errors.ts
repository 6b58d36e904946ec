import { TaskforgeError } from '../errors.js';

export class ScheduleNotFoundError extends TaskforgeError {
  override name = 'ScheduleNotFoundError';
  constructor(readonly scheduleId: string) {
    super(`schedule ${scheduleId} not found`);
  }
}

/** Schedule names are unique; the API answers 409. */
export class ScheduleNameConflictError extends TaskforgeError {
  override name = 'ScheduleNameConflictError';
  constructor(readonly scheduleName: string) {
    super(`a schedule named "${scheduleName}" already exists`);
  }
}

/** A cron expression or time zone that cannot be used; `field` names which. The API answers 400. */
export class InvalidScheduleError extends TaskforgeError {
  override name = 'InvalidScheduleError';
  constructor(
    readonly field: 'cron' | 'timezone',
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}
