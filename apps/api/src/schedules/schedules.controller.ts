import { Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ApiErrorResponses, ApiUuidParam, ApiZodResponse, BODY_ERRORS, ZodBody } from '../openapi/zod-openapi.decorators.js';
import {
  createScheduleRequest,
  updateScheduleRequest,
  type CreateScheduleRequest,
  type UpdateScheduleRequest,
} from './schedule-requests.js';
import { scheduleListResponse, scheduleResponse, toScheduleResponse, type ScheduleResponse } from './schedule-response.js';
import { SchedulesService } from './schedules.service.js';

@ApiTags('schedules')
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  /** 201 with the stored schedule, its first tick in `next_run_at`. */
  @Post()
  @ApiOperation({ summary: 'Create a recurring schedule (cron, time zone, the task each tick makes)' })
  @ApiZodResponse(201, scheduleResponse, 'Stored, its first tick in next_run_at')
  @ApiErrorResponses([...BODY_ERRORS, 409, 503], {
    400: 'A bad field, e.g. an invalid cron expression or time zone',
    409: 'The name is taken',
  })
  async create(@ZodBody(createScheduleRequest) body: CreateScheduleRequest): Promise<ScheduleResponse> {
    return toScheduleResponse(await this.schedules.create(body));
  }

  /** All schedules, by name. */
  @Get()
  @ApiOperation({ summary: 'Every schedule, by name' })
  @ApiZodResponse(200, scheduleListResponse, 'The schedules')
  @ApiErrorResponses([503])
  async list(): Promise<{ schedules: ScheduleResponse[] }> {
    return { schedules: (await this.schedules.list()).map(toScheduleResponse) };
  }

  @Get(':id')
  @ApiOperation({ summary: 'One schedule' })
  @ApiUuidParam('id', 'The schedule id')
  @ApiZodResponse(200, scheduleResponse, 'The schedule')
  @ApiErrorResponses([400, 404, 503], { 400: 'id must be a UUID' })
  async get(@Param('id', UuidParamPipe) id: string): Promise<ScheduleResponse> {
    return toScheduleResponse(await this.schedules.get(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a schedule, pause or resume it' })
  @ApiUuidParam('id', 'The schedule id')
  @ApiZodResponse(200, scheduleResponse, 'The updated schedule')
  @ApiErrorResponses([...BODY_ERRORS, 404, 409, 503], { 409: 'The new name is taken' })
  async update(
    @Param('id', UuidParamPipe) id: string,
    @ZodBody(updateScheduleRequest) body: UpdateScheduleRequest,
  ): Promise<ScheduleResponse> {
    return toScheduleResponse(await this.schedules.update(id, body));
  }

  /** The schedule's past tasks stay. */
  @Delete(':id')
  @HttpCode(204)
  @ApiOperation({ summary: 'Delete a schedule (the tasks it made stay)' })
  @ApiUuidParam('id', 'The schedule id')
  @ApiNoContentResponse({ description: 'Deleted' })
  @ApiErrorResponses([400, 404, 503], { 400: 'id must be a UUID' })
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.schedules.delete(id);
  }
}
