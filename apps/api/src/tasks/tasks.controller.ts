import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { describeListIssues } from '../common/validation-error.js';
import { ZodBodyPipe } from '../common/zod-body.pipe.js';
import { ZodQueryPipe } from '../common/zod-query.pipe.js';
import { listTasksQuery, type ListTasksRequest } from './list-tasks-query.js';
import {
  createTaskBatchRequest,
  createTaskRequest,
  rescheduleTaskRequest,
  type CreateTaskBatchRequest,
  type CreateTaskRequest,
  type RescheduleTaskRequest,
} from './task-requests.js';
import type { TaskListResponse } from './task-list-response.js';
import { toTaskResponse, type TaskResponse } from './task-response.js';
import { TasksService } from './tasks.service.js';

@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** 201 only after the row is committed: an acknowledged task is never lost. */
  @Post()
  async create(@Body(new ZodBodyPipe(createTaskRequest)) body: CreateTaskRequest): Promise<{ id: string }> {
    const task = await this.tasks.create(body);
    return { id: task.id };
  }

  /**
   * All or nothing: any invalid item refuses the whole batch (every problem listed with its
   * index), and 201 comes only after the one INSERT committed. No `:id` route takes POST, and
   * Fastify matches the static `batch` segment before parameters anyway.
   */
  @Post('batch')
  async createBatch(
    @Body(new ZodBodyPipe(createTaskBatchRequest, describeListIssues('tasks'))) body: CreateTaskBatchRequest,
  ): Promise<{ ids: string[] }> {
    const tasks = await this.tasks.createMany(body.tasks);
    return { ids: tasks.map((task) => task.id) };
  }

  /**
   * Newest first unless `order=asc`, keyset-paged: `next_cursor` goes back as `cursor`.
   * No clash with `GET /tasks/:id`: Fastify's router matches `/tasks` only without a segment after it.
   */
  @Get()
  async list(@Query(new ZodQueryPipe(listTasksQuery)) query: ListTasksRequest): Promise<TaskListResponse> {
    const page = await this.tasks.list(query);
    return { tasks: page.tasks.map(toTaskResponse), next_cursor: page.nextCursor };
  }

  @Get(':id')
  async get(@Param('id', UuidParamPipe) id: string): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  async cancel(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.tasks.cancel(id);
  }

  @Patch(':id')
  async reschedule(
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodBodyPipe(rescheduleTaskRequest)) body: RescheduleTaskRequest,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.reschedule(id, body.scheduled_at));
  }
}
