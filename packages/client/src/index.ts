export { MAX_BATCH_SIZE, TaskforgeClient, type CancelOptions, type SubmitManyOptions, type TaskforgeClientOptions } from './client.js';
export {
  ApiError,
  ConflictError,
  NetworkError,
  NotFoundError,
  ServiceUnavailableError,
  TaskforgeError,
  UnauthorizedError,
  ValidationError,
  WaitTimeoutError,
  type ApiErrorDetails,
} from './errors.js';
export type { components, operations, paths } from './generated/openapi.js';
export { SchedulesApi } from './schedules.js';
export { queryString, type FetchFunction, type FetchInit, type FetchResponse, type QueryValue } from './transport.js';
export * from './types.js';
export { DEFAULT_WAIT_INTERVAL_MS, DEFAULT_WAIT_TIMEOUT_MS, isFinalTask, type RequestOptions, type WaitOptions } from './wait.js';
