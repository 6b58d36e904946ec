import { Inject, Injectable } from '@nestjs/common';
import { addTask, cancelTask, getTask, rescheduleTask, type Config, type Pool, type Task } from '@taskforge/core';
import { CONFIG, PG_POOL } from '../common/tokens.js';
import type { CreateTaskRequest } from './task-requests.js';

/** Applies the API's defaults and calls core; knows nothing about HTTP. */
@Injectable()
export class TasksService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  create(request: CreateTaskRequest): Promise<Task> {
    return addTask(this.pool, {
      task_name: request.task_name,
      payload: request.payload,
      scheduled_at: request.scheduled_at,
      priority: request.priority,
      max_retries: request.max_retries ?? this.config.DEFAULT_MAX_RETRIES,
      timeout_ms: request.timeout_ms ?? this.config.TASK_DEFAULT_TIMEOUT_MS,
    });
  }

  get(id: string): Promise<Task> {
    return getTask(this.pool, id);
  }

  cancel(id: string): Promise<Task> {
    return cancelTask(this.pool, id);
  }

  reschedule(id: string, scheduledAt: Date): Promise<Task> {
    return rescheduleTask(this.pool, { id, scheduledAt });
  }
}
