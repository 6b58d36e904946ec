import { Inject, Injectable } from '@nestjs/common';
import {
  announceScheduleChange,
  createSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  updateSchedule,
  type Pool,
  type Schedule,
} from '@taskforge/core';
import { PG_POOL } from '../common/tokens.js';
import type { CreateScheduleRequest, UpdateScheduleRequest } from './schedule-requests.js';

/** Calls core for schedules; knows nothing about HTTP. */
@Injectable()
export class SchedulesService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async create(request: CreateScheduleRequest): Promise<Schedule> {
    const schedule = await createSchedule(this.pool, request);
    this.announce();
    return schedule;
  }

  list(): Promise<Schedule[]> {
    return listSchedules(this.pool);
  }

  get(id: string): Promise<Schedule> {
    return getSchedule(this.pool, id);
  }

  async update(id: string, changes: UpdateScheduleRequest): Promise<Schedule> {
    const schedule = await updateSchedule(this.pool, id, changes);
    this.announce();
    return schedule;
  }

  delete(id: string): Promise<void> {
    return deleteSchedule(this.pool, id);
  }

  /**
   * Workers re-read the earliest tick at once. A hint: not awaited, and a lost one only means
   * the new tick is found at the next SCHEDULER_INTERVAL_MS look.
   */
  private announce(): void {
    announceScheduleChange(this.pool).catch(() => undefined);
  }
}
