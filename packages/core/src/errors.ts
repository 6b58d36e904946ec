/** Base class of every error core throws on purpose, so callers can tell ours from driver errors. */
export class TaskforgeError extends Error {
  override name = 'TaskforgeError';
}

/** What was asked for does not exist (the API answers 404). */
export class NotFoundError extends TaskforgeError {
  override name = 'NotFoundError';
}

/** The request clashes with the current state of what it names (the API answers 409). */
export class ConflictError extends TaskforgeError {
  override name = 'ConflictError';
}

/** A value core cannot use; `field` names it (the API answers 400 naming the field). */
export class InvalidInputError extends TaskforgeError {
  override name = 'InvalidInputError';
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {
    super(`${field} ${problem}`);
  }
}

export class TaskNotFoundError extends NotFoundError {
  override name = 'TaskNotFoundError';
  constructor(readonly taskId: string) {
    super(`task ${taskId} not found`);
  }
}

/** A transition was asked of a task whose current status does not allow it. */
export class TaskStateConflictError extends ConflictError {
  override name = 'TaskStateConflictError';
  constructor(
    readonly taskId: string,
    readonly currentStatus: string,
    action: string,
    allowedFrom: string,
  ) {
    super(`cannot ${action} task ${taskId}: its status is ${currentStatus}, only a ${allowedFrom} task can be`);
  }
}

/** A listing was asked with a value core cannot use, such as a cursor that does not decode; `field` names it. */
export class InvalidQueryError extends InvalidInputError {
  override name = 'InvalidQueryError';
}

/** The environment failed validation; the message names every bad variable. */
export class ConfigError extends TaskforgeError {
  override name = 'ConfigError';
}

/**
 * Thrown by a handler to fail its task for good, skipping any retries left: for input that
 * no retry can fix, such as a malformed payload.
 */
export class PermanentTaskError extends TaskforgeError {
  override name = 'PermanentTaskError';
}

/**
 * An idempotency key changed hands more often than submitTask's bounded retries allow while
 * one submission tried to settle it. Practically unreachable; retrying the submission is safe.
 */
export class IdempotencyKeyContendedError extends ConflictError {
  override name = 'IdempotencyKeyContendedError';
  constructor(
    readonly idempotencyKey: string,
    rounds: number,
  ) {
    super(`idempotency key ${JSON.stringify(idempotencyKey)} is contended: not settled after ${rounds} attempts, try again`);
  }
}
