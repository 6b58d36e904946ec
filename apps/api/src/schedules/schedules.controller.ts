import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { UuidParamPipe } from '../common/uuid-param.pipe.js';
import { ZodBodyPipe } from '../common/zod-body.pipe.js';
import {
  createScheduleRequest,
  updateScheduleRequest,
  type CreateScheduleRequest,
  type UpdateScheduleRequest,
} from './schedule-requests.js';
import { toScheduleResponse, type ScheduleResponse } from './schedule-response.js';
import { SchedulesService } from './schedules.service.js';

@Controller('schedules')
export class SchedulesController {
  constructor(private readonly schedules: SchedulesService) {}

  /** 201 with the stored schedule, its first tick in `next_run_at`. */
  @Post()
  async create(@Body(new ZodBodyPipe(createScheduleRequest)) body: CreateScheduleRequest): Promise<ScheduleResponse> {
    return toScheduleResponse(await this.schedules.create(body));
  }

  /** All schedules, by name. */
  @Get()
  async list(): Promise<{ schedules: ScheduleResponse[] }> {
    return { schedules: (await this.schedules.list()).map(toScheduleResponse) };
  }

  @Get(':id')
  async get(@Param('id', UuidParamPipe) id: string): Promise<ScheduleResponse> {
    return toScheduleResponse(await this.schedules.get(id));
  }

  @Patch(':id')
  async update(
    @Param('id', UuidParamPipe) id: string,
    @Body(new ZodBodyPipe(updateScheduleRequest)) body: UpdateScheduleRequest,
  ): Promise<ScheduleResponse> {
    return toScheduleResponse(await this.schedules.update(id, body));
  }

  /** The schedule's past tasks stay. */
  @Delete(':id')
  @HttpCode(204)
  async delete(@Param('id', UuidParamPipe) id: string): Promise<void> {
    await this.schedules.delete(id);
  }
}
