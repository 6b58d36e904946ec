import { ConflictError, InvalidInputError, NotFoundError } from '../errors.js';

export class ScheduleNotFoundError extends NotFoundError {
  override name = 'ScheduleNotFoundError';
  constructor(readonly scheduleId: string) {
    super(`schedule ${scheduleId} not found`);
  }
}

/** Schedule names are unique; the API answers 409. */
export class ScheduleNameConflictError extends ConflictError {
  override name = 'ScheduleNameConflictError';
  constructor(readonly scheduleName: string) {
    super(`a schedule named "${scheduleName}" already exists`);
  }
}

/** A cron expression or time zone that cannot be used; `field` names which. The API answers 400. */
export class InvalidScheduleError extends InvalidInputError {
  override name = 'InvalidScheduleError';
  constructor(
    override readonly field: 'cron' | 'timezone',
    problem: string,
  ) {
    super(field, problem);
  }
}
