import type { MissedTicksPolicy, Schedule } from '@taskforge/core';

/** A schedule as the API returns it: snake_case like tasks, timestamps as ISO 8601 strings. */
export interface ScheduleResponse {
  id: string;
  name: string;
  cron: string;
  timezone: string;
  task_name: string;
  payload: unknown;
  priority: number;
  max_retries: number | null;
  timeout_ms: number | null;
  missed_ticks: MissedTicksPolicy;
  paused: boolean;
  next_run_at: string | null;
  last_run_at: string | null;
  created_at: string;
  updated_at: string;
}

const iso = (date: Date | null) => (date ? date.toISOString() : null);

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
    next_run_at: iso(schedule.next_run_at),
    last_run_at: iso(schedule.last_run_at),
    created_at: schedule.created_at.toISOString(),
    updated_at: schedule.updated_at.toISOString(),
  };
}
