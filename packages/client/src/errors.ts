import type { ErrorBody, FieldError, Task, TaskStatus } from './types.js';

/*
 * Every failure the client reports is a TaskforgeError: an answer the API refused (ApiError and
 * its subclasses by status), a request that never got an answer (NetworkError), or a wait that
 * ran out of time (WaitTimeoutError). Each class sets `name`, and `instanceof` works across them.
 */

export class TaskforgeError extends Error {
  override name = 'TaskforgeError';
}

export interface ApiErrorDetails {
  status: number;
  method: string;
  url: string;
  /** The parsed JSON body, or the raw text when it is not JSON. */
  body: unknown;
}

function isErrorBody(body: unknown): body is Partial<ErrorBody> {
  return typeof body === 'object' && body !== null && !Array.isArray(body);
}

/** The API's own message when it sent one, else the status line. */
function messageOf(details: ApiErrorDetails, statusText: string): string {
  const message = isErrorBody(details.body) ? details.body.message : undefined;
  if (typeof message === 'string' && message !== '') return message;
  if (typeof details.body === 'string' && details.body.trim() !== '') return details.body.trim().slice(0, 500);
  return `${details.method} ${details.url} answered ${details.status}${statusText ? ` ${statusText}` : ''}`;
}

/** A non-2xx answer. `message` is the API's, which names the field or the state that was wrong. */
export class ApiError extends TaskforgeError {
  override name = 'ApiError';
  readonly status: number;
  readonly method: string;
  readonly url: string;
  readonly body: unknown;
  /** Each problem of a 400 with its field (and batch `index`); empty where the API gives none. */
  readonly fieldErrors: readonly FieldError[];

  constructor(details: ApiErrorDetails, statusText = '') {
    super(messageOf(details, statusText));
    this.status = details.status;
    this.method = details.method;
    this.url = details.url;
    this.body = details.body;
    const errors = isErrorBody(details.body) ? details.body.errors : undefined;
    this.fieldErrors = Array.isArray(errors) ? errors : [];
  }
}

/** 400: invalid input; `fieldErrors` lists each bad field. */
export class ValidationError extends ApiError {
  override name = 'ValidationError';
}

/** 401: a missing or wrong bearer token (the server has API_TOKEN set). */
export class UnauthorizedError extends ApiError {
  override name = 'UnauthorizedError';
}

/** 404: no task or schedule with that id. */
export class NotFoundError extends ApiError {
  override name = 'NotFoundError';
}

/** 409: the task is not in a state that allows this (`currentStatus` says which), or a schedule name is taken. */
export class ConflictError extends ApiError {
  override name = 'ConflictError';
  /** The task's status when the API refused, where the conflict is about a task's state. */
  readonly currentStatus: TaskStatus | undefined;

  constructor(details: ApiErrorDetails, statusText = '') {
    super(details, statusText);
    const status = isErrorBody(details.body) ? details.body.status : undefined;
    this.currentStatus = typeof status === 'string' ? (status as TaskStatus) : undefined;
  }
}

/** 503: the API cannot reach its database; worth retrying later. */
export class ServiceUnavailableError extends ApiError {
  override name = 'ServiceUnavailableError';
}

const BY_STATUS: Record<number, typeof ApiError> = {
  400: ValidationError,
  401: UnauthorizedError,
  404: NotFoundError,
  409: ConflictError,
  503: ServiceUnavailableError,
};

/** The error class for an answer's status: a subclass where there is one, else ApiError. */
export function apiErrorFor(details: ApiErrorDetails, statusText = ''): ApiError {
  const ErrorClass = BY_STATUS[details.status] ?? ApiError;
  return new ErrorClass(details, statusText);
}

/** Node's fetch says only "fetch failed"; the reason (ECONNREFUSED …) is in its own cause. */
function describeCause(cause: unknown): string {
  if (!(cause instanceof Error)) return String(cause);
  const inner = cause.cause instanceof Error ? cause.cause.message : undefined;
  return inner && inner !== cause.message ? `${cause.message} (${inner})` : cause.message;
}

/** The request got no answer: refused connection, DNS, TLS, a reset, or a body cut off. `cause` is fetch's error. */
export class NetworkError extends TaskforgeError {
  override name = 'NetworkError';
  readonly method: string;
  readonly url: string;

  constructor(method: string, url: string, cause: unknown) {
    super(`${method} ${url} failed: ${describeCause(cause)}`, { cause });
    this.method = method;
    this.url = url;
  }
}

/** waitFor() gave up: the task was not final within `timeoutMs`. `lastSeen` is the task as last read. */
export class WaitTimeoutError extends TaskforgeError {
  override name = 'WaitTimeoutError';
  readonly taskId: string;
  readonly timeoutMs: number;
  readonly lastSeen: Task | undefined;

  /** `cause`: the last error a read met (a 503, the network), when the wait ended amid those. */
  constructor(taskId: string, timeoutMs: number, lastSeen: Task | undefined, cause?: unknown) {
    const state = lastSeen ? `still ${lastSeen.status}` : 'never read';
    super(`task ${taskId} did not reach a final state within ${timeoutMs} ms (${state})`, cause === undefined ? undefined : { cause });
    this.taskId = taskId;
    this.timeoutMs = timeoutMs;
    this.lastSeen = lastSeen;
  }
}
