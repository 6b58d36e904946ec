/**
 * A task's story, oldest first, told from what its row records: created_at, every ended attempt
 * in attempt_history, the attempt running now, the due time of what comes next, and the final
 * state. Moves of the due time (reschedule, run now) and hand retries leave no timestamp of
 * their own, so the timeline shows the current due time and marks a retry where the attempt
 * numbers start again, without a time it cannot know.
 */
import type { AttemptRecord, Task } from '@taskforge/client';
import { isAwaitingRetry } from './task-state';

export type TimelineKind =
  'created' | 'due' | 'started' | 'running' | AttemptRecord['outcome'] | 'retry-due' | 'requeued' | 'history-trimmed' | 'failed-for-good';

export interface TimelineEvent {
  kind: TimelineKind;
  /** ISO time, or null where the row does not record when it happened. */
  at: string | null;
  title: string;
  detail?: string;
}

export type TimelineTask = Pick<
  Task,
  | 'status'
  | 'created_at'
  | 'scheduled_at'
  | 'attempts'
  | 'max_retries'
  | 'next_retry_at'
  | 'locked_by'
  | 'started_at'
  | 'finished_at'
  | 'last_error'
  | 'attempt_history'
>;

/** Kept in step with core's ATTEMPT_HISTORY_LIMIT: a full history may have lost its oldest records. */
export const ATTEMPT_HISTORY_LIMIT = 20;

const ENDED: Record<AttemptRecord['outcome'], (worker: string) => string> = {
  completed: () => 'completed',
  failed: () => 'failed',
  lease_expired: (worker) => `lost: ${worker} stopped heartbeating and its lease expired`,
  released: (worker) => `handed back by ${worker} on shutdown (not counted as an attempt)`,
  cancelled: () => 'aborted by a forced cancel',
};

function attemptEvents(record: AttemptRecord): TimelineEvent[] {
  const worker = record.worker_id ?? 'its worker';
  const events: TimelineEvent[] = [];
  if (record.started_at) {
    events.push({ kind: 'started', at: record.started_at, title: `Attempt ${record.attempt} started on ${worker}` });
  }
  events.push({
    kind: record.outcome,
    at: record.finished_at,
    title: `Attempt ${record.attempt} ${ENDED[record.outcome](worker)}`,
    detail: record.error?.message,
  });
  return events;
}

/**
 * A hand retry resets `attempts` to 0, so the next attempt is numbered from 1 again. Other
 * attempts follow the one before with the next number, or with the same number after a
 * release (core gives the attempt back). So a number that does not go up marks a retry,
 * except right after a release.
 */
function restartsNumbering(previous: AttemptRecord, nextAttempt: number): boolean {
  return nextAttempt < previous.attempt || (nextAttempt === previous.attempt && previous.outcome !== 'released');
}

const REQUEUED: TimelineEvent = {
  kind: 'requeued',
  at: null,
  title: 'Put back in the queue by a retry',
  detail: 'attempts start again from 1; the time of the retry is not recorded',
};

export function deriveTimeline(task: TimelineTask): TimelineEvent[] {
  const events: TimelineEvent[] = [{ kind: 'created', at: task.created_at, title: 'Created' }];
  const history = task.attempt_history;
  if (history.length >= ATTEMPT_HISTORY_LIMIT) {
    events.push({
      kind: 'history-trimmed',
      at: null,
      title: 'Earlier attempts not kept',
      detail: `the task keeps its latest ${ATTEMPT_HISTORY_LIMIT} attempts`,
    });
  }
  history.forEach((record, index) => {
    const previous = history[index - 1];
    if (previous && restartsNumbering(previous, record.attempt)) events.push(REQUEUED);
    events.push(...attemptEvents(record));
  });

  const last = history.at(-1);
  // The attempt running now, or the one a pending task waits for, may follow a retry too.
  const comingAttempt = task.status === 'running' ? task.attempts : task.status === 'pending' ? task.attempts + 1 : null;
  if (last && comingAttempt !== null && restartsNumbering(last, comingAttempt)) events.push(REQUEUED);

  switch (task.status) {
    case 'pending':
      events.push({
        kind: 'due',
        at: task.scheduled_at,
        title: history.length ? 'Due again' : 'Due',
        detail: 'waits for a worker from then on',
      });
      break;
    case 'running':
      events.push({
        kind: 'running',
        at: task.started_at,
        title: `Attempt ${task.attempts} started on ${task.locked_by ?? 'a worker'}, running`,
      });
      break;
    case 'failed':
      if (isAwaitingRetry(task)) {
        events.push({
          kind: 'retry-due',
          at: task.next_retry_at,
          title: `Retry due (attempt ${task.attempts + 1} of at most ${task.max_retries + 1})`,
        });
      } else {
        events.push({
          kind: 'failed-for-good',
          at: task.finished_at,
          title: 'Failed for good',
          detail: `${task.attempts} of at most ${task.max_retries + 1} attempts used`,
        });
      }
      break;
    case 'completed':
      events.push({ kind: 'completed', at: task.finished_at, title: 'Completed' });
      break;
    case 'cancelled':
      events.push({ kind: 'cancelled', at: task.finished_at, title: 'Cancelled' });
      break;
  }
  return events;
}
