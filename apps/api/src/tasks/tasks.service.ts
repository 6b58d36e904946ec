import { Inject, Injectable } from '@nestjs/common';
import {
  addTasks,
  cancelTask,
  forceCancelTask,
  getTask,
  listTasks,
  rescheduleTask,
  retryTask,
  runTaskNow,
  submitTask,
  TaskNotifier,
  type SubmittedTask,
  type Config,
  type ListTasksQuery,
  type NewTask,
  type Pool,
  type Task,
  type TaskPage,
} from '@taskforge/core';
import { CONFIG, PG_POOL } from '../common/tokens.js';
import type { CreateTaskRequest } from './task-requests.js';

/** Applies the API's defaults and calls core; knows nothing about HTTP. */
@Injectable()
export class TasksService {
  /** Wakes idle workers when tasks are added (throttled; a hint, polling is the fallback). */
  private readonly notifier: TaskNotifier;

  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Config,
  ) {
    this.notifier = new TaskNotifier(pool);
  }

  /** With an idempotency_key that is held, the task holding it (`created: false`) instead of a new one. */
  create(request: CreateTaskRequest): Promise<SubmittedTask> {
    return submitTask(
      this.pool,
      { ...this.withDefaults(request), idempotency_key: request.idempotency_key },
      { notifier: this.notifier, idempotencyWindowMs: this.config.TASK_IDEMPOTENCY_WINDOW },
    );
  }

  /** All or none: one INSERT, so a failure leaves no part of the batch behind. Tasks come back in request order. */
  createMany(requests: readonly Omit<CreateTaskRequest, 'idempotency_key'>[]): Promise<Task[]> {
    return addTasks(
      this.pool,
      requests.map((request) => this.withDefaults(request)),
      { notifier: this.notifier },
    );
  }

  get(id: string): Promise<Task> {
    return getTask(this.pool, id);
  }

  list(query: ListTasksQuery): Promise<TaskPage> {
    return listTasks(this.pool, query);
  }

  /** `force` reaches running tasks too; core NOTIFYs their worker in the same statement. */
  cancel(id: string, options: { force?: boolean } = {}): Promise<Task> {
    return options.force ? forceCancelTask(this.pool, id) : cancelTask(this.pool, id);
  }

  async retry(id: string): Promise<Task> {
    const task = await retryTask(this.pool, id);
    this.notifier.tasksAdded();
    return task;
  }

  async runNow(id: string): Promise<Task> {
    const task = await runTaskNow(this.pool, id);
    this.notifier.tasksAdded();
    return task;
  }

  async reschedule(id: string, scheduledAt: Date): Promise<Task> {
    const task = await rescheduleTask(this.pool, { id, scheduledAt });
    this.notifier.tasksAdded(task.scheduled_at.getTime() - task.updated_at.getTime());
    return task;
  }

  /** The one place the configured defaults apply, so single and batch submissions cannot differ. */
  private withDefaults(request: Omit<CreateTaskRequest, 'idempotency_key'>): NewTask {
    return {
      task_name: request.task_name,
      payload: request.payload,
      scheduled_at: request.scheduled_at,
      priority: request.priority,
      // Without one, DEFAULT_MAX_RETRIES stands in: the worker that starts the task replaces it
      // with its handler's maxRetries, if it sets one (the API does not know the handlers).
      max_retries: request.max_retries ?? this.config.DEFAULT_MAX_RETRIES,
      max_retries_source: request.max_retries === undefined ? 'default' : 'explicit',
      timeout_ms: request.timeout_ms ?? this.config.TASK_DEFAULT_TIMEOUT_MS,
    };
  }
}
