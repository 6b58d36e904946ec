import type { Schedule } from '@taskforge/client';
import { formatFields, formatTable } from './table.js';

export function formatScheduleTable(schedules: readonly Schedule[]): string {
  return formatTable(
    ['NAME', 'CRON', 'TIMEZONE', 'TASK', 'STATE', 'NEXT RUN', 'LAST RUN', 'ID'],
    schedules.map((s) => [
      s.name,
      s.cron,
      s.timezone,
      s.task_name,
      s.paused ? 'paused' : 'active',
      s.paused ? '-' : (s.next_run_at ?? '-'),
      s.last_run_at ?? '-',
      s.id,
    ]),
  );
}

export function formatSchedule(s: Schedule): string {
  return formatFields([
    ['id', s.id],
    ['name', s.name],
    ['cron', `${s.cron}  (${s.timezone})`],
    ['state', s.paused ? 'paused' : 'active'],
    ['next_run_at', s.paused ? '- (paused)' : (s.next_run_at ?? '-')],
    ['last_run_at', s.last_run_at ?? '-'],
    ['task_name', s.task_name],
    ['payload', JSON.stringify(s.payload ?? null)],
    ['priority', String(s.priority)],
    ['max_retries', s.max_retries == null ? "the worker's default" : String(s.max_retries)],
    ['timeout_ms', s.timeout_ms == null ? "the worker's default" : String(s.timeout_ms)],
    ['missed_ticks', s.missed_ticks],
  ]);
}
