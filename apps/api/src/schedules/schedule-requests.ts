import { cronProblem, MISSED_TICKS_POLICIES, timezoneProblem } from '@taskforge/core';
import { z } from 'zod';
import { createTaskRequest } from '../tasks/task-requests.js';

/**
 * The task fields a schedule copies into each task it makes, checked by the very same rules as
 * POST /tasks, so the two cannot drift.
 */
const taskFields = createTaskRequest.shape;

function required(expected: string) {
  return (issue: { input?: unknown }) => (issue.input === undefined ? 'is required' : `must be ${expected}`);
}

/** A trimmed, non-empty string of at most `max` characters (croner and Intl judge the rest). */
function text(max: number) {
  return z
    .string({ error: required('a string') })
    .trim()
    .min(1, 'must not be empty')
    .max(max, `must be at most ${max} characters`)
    .refine((value) => !value.includes('\u0000'), 'must not contain the character U+0000');
}

/** Parsed by croner (through core), so the message carries croner's reason. */
const cron = text(255).superRefine((value, ctx) => {
  if (value === '') return; // "must not be empty" says it already
  const problem = cronProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const timezone = text(64).superRefine((value, ctx) => {
  if (value === '') return;
  const problem = timezoneProblem(value);
  if (problem) ctx.addIssue({ code: 'custom', message: problem });
});

const missedTicks = z.enum(MISSED_TICKS_POLICIES, { error: `must be one of ${MISSED_TICKS_POLICIES.join(', ')}` });
const paused = z.boolean({ error: required('true or false') });

/** Same rules as a task name: 1–255 characters once trimmed, storable as text. */
const name = taskFields.task_name;

export const createScheduleRequest = z.strictObject({
  name,
  cron,
  timezone: timezone.optional(),
  task_name: taskFields.task_name,
  payload: taskFields.payload,
  priority: taskFields.priority,
  max_retries: taskFields.max_retries,
  timeout_ms: taskFields.timeout_ms,
  missed_ticks: missedTicks.optional(),
  paused: paused.optional(),
});
export type CreateScheduleRequest = z.output<typeof createScheduleRequest>;

/**
 * Any field of a schedule; `max_retries` and `timeout_ms` also take null (back to the worker's
 * default). An empty body changes nothing and is refused, so a client's mistake is not a silent no-op.
 */
export const updateScheduleRequest = z
  .strictObject({
    name: name.optional(),
    cron: cron.optional(),
    timezone: timezone.optional(),
    task_name: taskFields.task_name.optional(),
    payload: taskFields.payload,
    priority: taskFields.priority,
    max_retries: taskFields.max_retries.unwrap().nullable().optional(),
    timeout_ms: taskFields.timeout_ms.unwrap().nullable().optional(),
    missed_ticks: missedTicks.optional(),
    paused: paused.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { message: 'must set at least one field', path: [] });
export type UpdateScheduleRequest = z.output<typeof updateScheduleRequest>;
