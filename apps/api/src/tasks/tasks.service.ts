import { Inject, Injectable } from '@nestjs/common';
import {
  addTask,
  addTasks,
  cancelTask,
  getTask,
  listTasks,
  rescheduleTask,
  TaskNotifier,
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

  create(request: CreateTaskRequest): Promise<Task> {
    return addTask(this.pool, this.withDefaults(request), { notifier: this.notifier });
  }

  /** All or none: one INSERT, so a failure leaves no part of the batch behind. Tasks come back in request order. */
  createMany(requests: readonly CreateTaskRequest[]): Promise<Task[]> {
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

  cancel(id: string): Promise<Task> {
    return cancelTask(this.pool, id);
  }

  async reschedule(id: string, scheduledAt: Date): Promise<Task> {
    const task = await rescheduleTask(this.pool, { id, scheduledAt });
    this.notifier.tasksAdded(task.scheduled_at.getTime() - task.updated_at.getTime());
    return task;
  }

  /** The one place the configured defaults apply, so single and batch submissions cannot differ. */
  private withDefaults(request: CreateTaskRequest): NewTask {
    return {
      task_name: request.task_name,
      payload: request.payload,
      scheduled_at: request.scheduled_at,
      priority: request.priority,
      max_retries: request.max_retries ?? this.config.DEFAULT_MAX_RETRIES,
      timeout_ms: request.timeout_ms ?? this.config.TASK_DEFAULT_TIMEOUT_MS,
    };
  }
}
