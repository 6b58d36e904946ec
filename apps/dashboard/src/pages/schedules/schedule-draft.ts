import type { CreateScheduleRequest, MissedTicksPolicy } from '@taskforge/client';
import { describeJsonError, parseJsonInput } from '../../lib/parse-json-input';

/**
 * The create form's fields as typed, and the body POST /schedules gets from them. Checked
 * here only where the browser's own input checks cannot (the payload's JSON); cron, time zone
 * and names are the API's to judge, and its message is shown when it refuses.
 */
export interface ScheduleDraft {
  name: string;
  cron: string;
  timezone: string;
  task_name: string;
  payload: string;
  priority: string;
  max_retries: string;
  missed_ticks: MissedTicksPolicy;
}

/** POST /schedules' body, as the form always fills it: with a time zone and a missed-ticks policy. */
export type CreateScheduleBody = CreateScheduleRequest & Required<Pick<CreateScheduleRequest, 'timezone' | 'missed_ticks'>>;

/** The zone this browser runs in; UTC where the runtime cannot tell. */
export function browserTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
}

export function emptyDraft(): ScheduleDraft {
  return {
    name: '',
    cron: '',
    timezone: browserTimeZone(),
    task_name: '',
    payload: '',
    priority: '0',
    max_retries: '',
    missed_ticks: 'run_once',
  };
}

export type DraftResult = { ok: true; body: CreateScheduleBody } | { ok: false; field: 'payload'; message: string };

/** Empty payload: none (the tasks get null). Empty max retries: the firing worker's default. */
export function draftToBody(draft: ScheduleDraft): DraftResult {
  const body: CreateScheduleBody = {
    name: draft.name.trim(),
    cron: draft.cron.trim(),
    timezone: draft.timezone.trim(),
    task_name: draft.task_name.trim(),
    missed_ticks: draft.missed_ticks,
  };
  const payload = parseJsonInput(draft.payload);
  if (!payload.ok) return { ok: false, field: 'payload', message: `payload is not valid JSON: ${describeJsonError(payload)}` };
  if (!payload.empty) body.payload = payload.value;
  if (draft.priority.trim()) body.priority = Number(draft.priority);
  if (draft.max_retries.trim()) body.max_retries = Number(draft.max_retries);
  return { ok: true, body };
}

/** IANA zones for the time zone field's suggestions, UTC first. */
export function knownTimeZones(): string[] {
  const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  return ['UTC', ...zones.filter((zone) => zone !== 'UTC')];
}
