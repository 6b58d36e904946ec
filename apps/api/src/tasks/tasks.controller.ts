import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { describeListIssues } from '../common/validation-error.js';
import { ApiErrorResponses, ApiUuidParam, ApiZodResponse, BODY_ERRORS, ZodBody } from '../openapi/zod-openapi.decorators.js';
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
  taskResponse,
  toTaskResponse,
  type TaskResponse,
} from './task-response.js';
import { TasksService } from './tasks.service.js';

@ApiTags('tasks')
@Controller('tasks')
export class TasksController {
  constructor(private readonly tasks: TasksService) {}

  /** 201 only after the row is committed: an acknowledged task is never lost. */
  @Post()
  @ApiOperation({ summary: 'Submit a task' })
  @ApiZodResponse(201, createdTaskResponse, 'Stored (committed) before this answer')
  @ApiErrorResponses([...BODY_ERRORS, 503])
  async create(@ZodBody(createTaskRequest) body: CreateTaskRequest): Promise<{ id: string }> {
    const task = await this.tasks.create(body);
    return { id: task.id };
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

  @Get(':id')
  @ApiOperation({ summary: 'Task details' })
  @ApiUuidParam('id', 'The task id')
  @ApiZodResponse(200, taskResponse, 'The task')
  @ApiErrorResponses([400, 404, 503], { 400: 'id must be a UUID' })
  async get(@Param('id', UuidParamPipe) id: string): Promise<TaskResponse> {
    return toTaskResponse(await this.tasks.get(id));
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Cancel a pending task (it is kept, status cancelled)' })
  @ApiUuidParam('id', 'The task id')
  @ApiNoContentResponse({ description: 'Cancelled' })
  @ApiErrorResponses([400, 404, 409, 503], { 400: 'id must be a UUID', 409: 'The task is not pending' })
  async cancel(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.tasks.cancel(id);
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
