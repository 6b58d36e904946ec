import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { BooleanQueryPipe } from '../common/boolean-query.pipe.js';
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

  /**
   * 201 only after the row is committed: an acknowledged task is never lost. 200, same body,
   * when the idempotency_key is held and the existing task is returned instead. The status
   * depends on the outcome, which @HttpCode cannot express, hence the reply.
   */
  @Post()
  async create(
    @Body(new ZodBodyPipe(createTaskRequest)) body: CreateTaskRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const { task, created } = await this.tasks.create(body);
    void reply.status(created ? 201 : 200).send({ id: task.id });
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

  /**
   * Cancels a pending task. With `?force=true` also a running one (its worker aborts it) or a
   * failed one awaiting its retry; a finished task is a 409 either way.
   */
  @Delete(':id')
  @HttpCode(204)
  async cancel(@Param('id', UuidParamPipe) id: string, @Query('force', BooleanQueryPipe) force: boolean): Promise<void> {
    await this.tasks.cancel(id, { force });
  }

  /** A failed or cancelled task back in the queue: pending, due now, attempts reset. */
  @Post(':id/retry')
  @HttpCode(200)
  async retry(@Param('id', UuidParamPipe) id: string): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.retry(id));
  }

  /** A pending task (or a failed one awaiting its retry) due at once. */
  @Post(':id/run-now')
  @HttpCode(200)
  async runNow(@Param('id', UuidParamPipe) id: string): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.runNow(id));
  }

  @Patch(':id')
  async reschedule(
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodBodyPipe(rescheduleTaskRequest)) body: RescheduleTaskRequest,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.reschedule(id, body.scheduled_at));
  }
}
