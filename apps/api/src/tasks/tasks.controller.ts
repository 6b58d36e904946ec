import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { BooleanQueryPipe } from '../common/boolean-query.pipe.js';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { describeListIssues } from '../common/validation-error.js';
import { ZodQueryPipe } from '../common/zod-query.pipe.js';
import { ApiErrorResponses, ApiUuidParam, ApiZodResponse, BODY_ERRORS, ZodBody } from '../openapi/zod-openapi.decorators.js';
import { listTasksQuery, type ListTasksRequest } from './list-tasks-query.js';
import {
  createTaskBatchDocumented,
  createTaskBatchRequest,
  createTaskRequest,
  rescheduleTaskRequest,
  type CreateTaskBatchRequest,
  type CreateTaskRequest,
  type RescheduleTaskRequest,
} from './task-requests.js';
import {
  createdTaskBatchResponse,
  createdTaskResponse,
  taskListResponse,
  taskResponse,
  toTaskResponse,
  type TaskListResponse,
  type TaskResponse,
} from './task-response.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /**
   * 201 only after the row is committed: an acknowledged task is never lost. 200, same body,
   * when the idempotency_key is held and the existing task is returned instead. The status
   * depends on the outcome, which @HttpCode cannot express, hence the reply.
   */
  @Post()
  @ApiOperation({ summary: 'Submit a task' })
  @ApiZodResponse(201, createdTaskResponse, 'Stored (committed) before this answer')
  @ApiZodResponse(200, createdTaskResponse, 'The idempotency_key is held: the task holding it, nothing new stored')
  @ApiErrorResponses([...BODY_ERRORS, 409, 503], {
    409: 'The idempotency_key changed hands too often during this submission: send it again',
  })
  async create(@ZodBody(createTaskRequest) body: CreateTaskRequest, @Res() reply: FastifyReply): Promise<void> {
    const { task, created } = await this.tasks.create(body);
    void reply.status(created ? 201 : 200).send({ id: task.id });
  }

  /**
   * All or nothing: any invalid item refuses the whole batch (every problem listed with its
   * index), and 201 comes only after the one INSERT committed. No `:id` route takes POST, and
   * Fastify matches the static `batch` segment before parameters anyway.
   */
  @Post('batch')
  @ApiOperation({ summary: 'Submit 1 to 1,000 tasks at once, all or nothing' })
  @ApiZodResponse(201, createdTaskBatchResponse, 'All stored in one INSERT, ids in request order')
  @ApiErrorResponses([...BODY_ERRORS, 503], { 400: 'Invalid batch: nothing stored; `errors` lists every problem with its `index`' })
  async createBatch(
    @ZodBody(createTaskBatchRequest, { describe: describeListIssues('tasks'), documentedAs: createTaskBatchDocumented })
    body: CreateTaskBatchRequest,
  ): Promise<{ ids: string[] }> {
    const tasks = await this.tasks.createMany(body.tasks);
    return { ids: tasks.map((task) => task.id) };
  }

  /**
   * Newest first unless `order=asc`, keyset-paged: `next_cursor` goes back as `cursor`.
   * No clash with `GET /tasks/:id`: Fastify's router matches `/tasks` only without a segment after it.
   */
  @Get()
  @ApiOperation({ summary: 'Find tasks: filters, newest first, keyset-paged' })
  @ApiQuery({ name: 'status', required: false, type: String, description: 'One or several statuses, comma-separated or repeated' })
  @ApiQuery({ name: 'task_name', required: false, type: String, description: 'Task name; repeat for several' })
  @ApiQuery({ name: 'created_after', required: false, type: String, description: 'ISO 8601 with time zone, inclusive' })
  @ApiQuery({ name: 'created_before', required: false, type: String, description: 'ISO 8601 with time zone, exclusive' })
  @ApiQuery({ name: 'scheduled_after', required: false, type: String, description: 'ISO 8601 with time zone, inclusive' })
  @ApiQuery({ name: 'scheduled_before', required: false, type: String, description: 'ISO 8601 with time zone, exclusive' })
  @ApiQuery({ name: 'limit', required: false, type: Number, description: '1 to 500, default 50' })
  @ApiQuery({ name: 'order', required: false, enum: ['desc', 'asc'], description: 'By created_at; desc (newest first) by default' })
  @ApiQuery({ name: 'cursor', required: false, type: String, description: 'next_cursor of the previous page' })
  @ApiZodResponse(200, taskListResponse, 'One page; next_cursor is null after the last')
  @ApiErrorResponses([400, 503], { 400: 'A bad query parameter, named in the message' })
  async list(@Query(new ZodQueryPipe(listTasksQuery)) query: ListTasksRequest): Promise<TaskListResponse> {
    const page = await this.tasks.list(query);
    return { tasks: page.tasks.map(toTaskResponse), next_cursor: page.nextCursor };
  }

  @Get(':id')
  @ApiOperation({ summary: 'Task details' })
  @ApiUuidParam('id', 'The task id')
  @ApiZodResponse(200, taskResponse, 'The task')
  @ApiErrorResponses([400, 404, 503], { 400: 'id must be a UUID' })
  async get(@Param('id', UuidParamPipe) id: string): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.get(id));
  }

  /**
   * Cancels a pending task. With `?force=true` also a running one (its worker aborts it) or a
   * failed one awaiting its retry; a finished task is a 409 either way.
   */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel a task: a pending one, or with force=true also a running one (aborted on its worker)' })
  @ApiUuidParam('id', 'The task id')
  @ApiQuery({
    name: 'force',
    required: false,
    enum: ['true', 'false'],
    description: 'true also cancels a running task or a failed one awaiting its retry',
  })
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiErrorResponses([400, 404, 409, 503], {
    400: 'id must be a UUID, or force must be true or false',
    409: 'The task is not pending (with force: it is finished)',
  })
  async cancel(@Param('id', UuidParamPipe) id: string, @Query('force', BooleanQueryPipe) force: boolean): Promise<void> {
    await this.tasks.cancel(id, { force });
  }

  /** A failed or cancelled task back in the queue: pending, due now, attempts reset. */
  @Post(':id/retry')
  @HttpCode(200)
  @ApiOperation({ summary: 'Put a failed or cancelled task back in the queue, due now, attempts reset' })
  @ApiUuidParam('id', 'The task id')
  @ApiZodResponse(200, taskResponse, 'The task, pending again')
  @ApiErrorResponses([400, 404, 409, 503], { 400: 'id must be a UUID', 409: 'The task is not failed or cancelled' })
  async retry(@Param('id', UuidParamPipe) id: string): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.retry(id));
  }

  /** A pending task (or a failed one awaiting its retry) due at once. */
  @Post(':id/run-now')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make a pending task (or a failed one awaiting its retry) due at once' })
  @ApiUuidParam('id', 'The task id')
  @ApiZodResponse(200, taskResponse, 'The task, due now')
  @ApiErrorResponses([400, 404, 409, 503], { 400: 'id must be a UUID', 409: 'The task is not queued' })
  async runNow(@Param('id', UuidParamPipe) id: string): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.runNow(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Reschedule a pending task' })
  @ApiUuidParam('id', 'The task id')
  @ApiZodResponse(200, taskResponse, 'The updated task')
  @ApiErrorResponses([...BODY_ERRORS, 404, 409, 503], { 409: 'The task is not pending' })
  async reschedule(
    @Param('id', UuidParamPipe) id: string,
    @ZodBody(rescheduleTaskRequest) body: RescheduleTaskRequest,
  ): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.reschedule(id, body.scheduled_at));
  }
}
