import { MISSED_TICKS_POLICIES, type Schedule } from '@taskforge/core';
import { z } from 'zod';
import { isoOrNull, nullableTimestamp, timestamp } from '../tasks/task-response.js';

/**
 * A schedule as the API returns it: snake_case like tasks, timestamps as ISO 8601 strings. The
 * zod schema is the one description: the type comes from it and the OpenAPI spec shows it.
 */
export const scheduleResponse = z
  .object({
    id: z.uuid(),
    name: z.string(),
    cron: z.string().meta({ description: '5 fields, or 6 with seconds first' }),
    timezone: z.string().meta({ description: 'IANA time zone the expression is read in' }),
    task_name: z.string(),
    payload: z.unknown().meta({ description: 'Given to every task the schedule makes' }),
    priority: z.int(),
    max_retries: z.int().nullable().meta({
      description:
        "null: the handler's maxRetries when a task first runs, if its worker's handler sets one; else the firing worker's DEFAULT_MAX_RETRIES",
    }),
    timeout_ms: z.int().nullable(),
    missed_ticks: z.enum(MISSED_TICKS_POLICIES),
    paused: z.boolean(),
    next_run_at: nullableTimestamp.meta({ description: 'The next tick to fire' }),
    last_run_at: nullableTimestamp.meta({ description: 'The tick of the last task it made' }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: 'Schedule' });
export type ScheduleResponse = z.output<typeof scheduleResponse>;

export const scheduleListResponse = z.object({ schedules: z.array(scheduleResponse) }).meta({ id: 'ScheduleList' });

export function toScheduleResponse(schedule: Schedule): ScheduleResponse {
  return {
    id: schedule.id,
    name: schedule.name,
    cron: schedule.cron,
    timezone: schedule.timezone,
    task_name: schedule.task_name,
    payload: schedule.payload,
    priority: schedule.priority,
    max_retries: schedule.max_retries,
    timeout_ms: schedule.timeout_ms,
    missed_ticks: schedule.missed_ticks,
    paused: schedule.paused,
    next_run_at: isoOrNull(schedule.next_run_at),
    last_run_at: isoOrNull(schedule.last_run_at),
    created_at: schedule.created_at.toISOString(),
    updated_at: schedule.updated_at.toISOString(),
  };
}
