import { SchedulesApi } from './schedules.js';
import { Transport, type TransportOptions } from './transport.js';
import type {
  BatchTaskRequest,
  CreatedTask,
  CreateTaskRequest,
  Health,
  ListTasksQuery,
  LiveWorker,
  QueueStats,
  SubmittedTask,
  Task,
  TaskList,
  ThroughputMinute,
} from './types.js';
import { waitForFinal, type RequestOptions, type WaitOptions } from './wait.js';

/** Most tasks one POST /tasks/batch takes (the API's MAX_BATCH_SIZE; a spec keeps the two equal). */
export const MAX_BATCH_SIZE = 1_000;

export type TaskforgeClientOptions = TransportOptions;

export interface SubmitManyOptions extends RequestOptions {
  /** Tasks per POST /tasks/batch, 1 to MAX_BATCH_SIZE (the default). */
  batchSize?: number;
}

export interface CancelOptions extends RequestOptions {
  /** Also cancel a running task (its worker aborts the handler) or a failed one awaiting its retry. */
  force?: boolean;
}

const taskPath = (id: string) => `/tasks/${encodeURIComponent(id)}`;

/**
 * The taskforge REST API, typed from its OpenAPI document. Every method resolves with the
 * API's answer or rejects with a TaskforgeError subclass (ValidationError, NotFoundError,
 * ConflictError, UnauthorizedError, ServiceUnavailableError, ApiError, NetworkError).
 */
export class TaskforgeClient {
  /** /schedules: create, list, get, update, pause, resume, delete. */
  readonly schedules: SchedulesApi;
  private readonly transport: Transport;

  constructor(options: TaskforgeClientOptions) {
    this.transport = new Transport(options);
    this.schedules = new SchedulesApi(this.transport);
  }

  /**
   * POST /tasks. Resolves once the task is committed; `created` is false when its
   * idempotency_key is held and the task holding it was returned instead (200).
   */
  async submit(task: CreateTaskRequest, options: RequestOptions = {}): Promise<SubmittedTask> {
    const answer = await this.transport.request<CreatedTask>({ method: 'POST', path: '/tasks', body: task, signal: options.signal });
    return { ...answer.body, created: answer.status === 201 };
  }

  /**
   * POST /tasks/batch, in chunks of at most MAX_BATCH_SIZE sent one after another; resolves with
   * every task's id in the order given. Each chunk is all or nothing; when one is refused the
   * promise rejects and the chunks before it stay stored.
   */
  async submitMany(tasks: readonly BatchTaskRequest[], options: SubmitManyOptions = {}): Promise<CreatedTask[]> {
    const size = options.batchSize ?? MAX_BATCH_SIZE;
    if (!Number.isInteger(size) || size < 1 || size > MAX_BATCH_SIZE) {
      throw new RangeError(`batchSize must be an integer from 1 to ${MAX_BATCH_SIZE}`);
    }
    const created: CreatedTask[] = [];
    for (let start = 0; start < tasks.length; start += size) {
      const body = { tasks: tasks.slice(start, start + size) };
      const answer = await this.transport.request<{ ids: string[] }>({
        method: 'POST',
        path: '/tasks/batch',
        body,
        signal: options.signal,
      });
      created.push(...answer.body.ids.map((id) => ({ id })));
    }
    return created;
  }

  /** GET /tasks/:id. */
  async get(id: string, options: RequestOptions = {}): Promise<Task> {
    return (await this.transport.request<Task>({ method: 'GET', path: taskPath(id), signal: options.signal })).body;
  }

  /** GET /tasks: one page (newest first unless order is asc); pass next_cursor back as `cursor` for the next. */
  async listPage(query: ListTasksQuery = {}, options: RequestOptions = {}): Promise<TaskList> {
    return (await this.transport.request<TaskList>({ method: 'GET', path: '/tasks', query, signal: options.signal })).body;
  }

  /**
   * Every task matching `query`, across pages (`limit` is the page size), fetched page by page
   * as the loop asks for more: `for await (const task of client.list({ status: 'failed' }))`.
   * Keyset-paged, so tasks added meanwhile never shift a page and no task is seen twice.
   */
  async *list(query: ListTasksQuery = {}, options: RequestOptions = {}): AsyncGenerator<Task, void, undefined> {
    let cursor = query.cursor;
    do {
      const page = await this.listPage({ ...query, cursor }, options);
      yield* page.tasks;
      cursor = page.next_cursor ?? undefined;
    } while (cursor);
  }

  /** DELETE /tasks/:id (204): a pending task; with `force` also a running one or one awaiting its retry. 409 once finished. */
  async cancel(id: string, options: CancelOptions = {}): Promise<void> {
    const query = options.force === undefined ? {} : { force: options.force };
    await this.transport.request<undefined>({ method: 'DELETE', path: taskPath(id), query, signal: options.signal });
  }

  /** PATCH /tasks/:id: a pending task due at `runAt` instead (a string needs a time zone, e.g. 2030-01-01T09:00:00Z). */
  async reschedule(id: string, runAt: Date | string, options: RequestOptions = {}): Promise<Task> {
    const scheduled_at = runAt instanceof Date ? runAt.toISOString() : runAt;
    return (await this.transport.request<Task>({ method: 'PATCH', path: taskPath(id), body: { scheduled_at }, signal: options.signal }))
      .body;
  }

  /** POST /tasks/:id/retry: a failed or cancelled task pending again, due now, attempts reset. */
  async retry(id: string, options: RequestOptions = {}): Promise<Task> {
    return (await this.transport.request<Task>({ method: 'POST', path: `${taskPath(id)}/retry`, signal: options.signal })).body;
  }

  /** POST /tasks/:id/run-now: a pending task (or a failed one awaiting its retry) due at once. */
  async runNow(id: string, options: RequestOptions = {}): Promise<Task> {
    return (await this.transport.request<Task>({ method: 'POST', path: `${taskPath(id)}/run-now`, signal: options.signal })).body;
  }

  /**
   * Resolves with the task once it is final: completed, cancelled, or failed with no retry left.
   * Rejects with WaitTimeoutError after `timeoutMs` (default 60 s); a 503 or a network error on
   * the way is read past, any other error rejects at once.
   */
  waitFor(id: string, options: WaitOptions = {}): Promise<Task> {
    return waitForFinal((signal) => this.get(id, { signal }), id, options);
  }

  /** GET /monitor/stats: counts per status and task name, lag, throughput, table health. */
  async stats(options: RequestOptions = {}): Promise<QueueStats> {
    return (await this.transport.request<QueueStats>({ method: 'GET', path: '/monitor/stats', signal: options.signal })).body;
  }

  /** GET /monitor/workers: the live workers and the tasks each holds. */
  async workers(options: RequestOptions = {}): Promise<LiveWorker[]> {
    const answer = await this.transport.request<{ workers: LiveWorker[] }>({
      method: 'GET',
      path: '/monitor/workers',
      signal: options.signal,
    });
    return answer.body.workers;
  }

  /** GET /monitor/throughput: completed and failed-for-good tasks per minute over the last `minutes` (API default 60), oldest first. */
  async throughput(minutes?: number, options: RequestOptions = {}): Promise<ThroughputMinute[]> {
    const answer = await this.transport.request<{ minutes: ThroughputMinute[] }>({
      method: 'GET',
      path: '/monitor/throughput',
      query: { minutes },
      signal: options.signal,
    });
    return answer.body.minutes;
  }

  /** GET /monitor/health (never needs the token): `{status: 'ok'}`, or a ServiceUnavailableError when the database does not answer. */
  async health(options: RequestOptions = {}): Promise<Health> {
    return (await this.transport.request<Health>({ method: 'GET', path: '/monitor/health', signal: options.signal })).body;
  }
}
