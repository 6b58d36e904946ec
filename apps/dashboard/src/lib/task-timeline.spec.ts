import { describe, expect, it } from 'vitest';
import type { AttemptRecord } from '@taskforge/client';
import { ATTEMPT_HISTORY_LIMIT, deriveTimeline, type TimelineTask } from './task-timeline';

const CREATED = '2030-01-01T09:00:00.000Z';

function task(fields: Partial<TimelineTask>): TimelineTask {
  return {
    status: 'pending',
    created_at: CREATED,
    scheduled_at: CREATED,
    attempts: 0,
    max_retries: 2,
    next_retry_at: null,
    locked_by: null,
    started_at: null,
    finished_at: null,
    last_error: null,
    attempt_history: [],
    ...fields,
  };
}

function attempt(number: number, outcome: AttemptRecord['outcome'], minute: number, message?: string): AttemptRecord {
  return {
    attempt: number,
    worker_id: 'worker-a',
    started_at: `2030-01-01T09:${String(minute).padStart(2, '0')}:00.000Z`,
    finished_at: `2030-01-01T09:${String(minute).padStart(2, '0')}:30.000Z`,
    outcome,
    error: message ? { message, stack: `Error: ${message}\n    at handler` } : null,
  };
}

const kinds = (t: TimelineTask) => deriveTimeline(t).map((event) => event.kind);

describe('deriveTimeline', () => {
  it('shows a new task as created, then due at its scheduled time', () => {
    const events = deriveTimeline(task({ scheduled_at: '2030-01-01T10:00:00.000Z' }));
    expect(events).toEqual([
      { kind: 'created', at: CREATED, title: 'Created' },
      { kind: 'due', at: '2030-01-01T10:00:00.000Z', title: 'Due', detail: 'waits for a worker from then on' },
    ]);
  });

  it('shows the attempt running now with its worker and start time', () => {
    const events = deriveTimeline(task({ status: 'running', attempts: 1, locked_by: 'worker-b', started_at: '2030-01-01T09:00:01.000Z' }));
    expect(events.at(-1)).toEqual({
      kind: 'running',
      at: '2030-01-01T09:00:01.000Z',
      title: 'Attempt 1 started on worker-b, running',
    });
  });

  it('tells a completed task from its attempt and finish time', () => {
    const events = deriveTimeline(
      task({ status: 'completed', attempts: 1, finished_at: '2030-01-01T09:01:30.000Z', attempt_history: [attempt(1, 'completed', 1)] }),
    );
    expect(events.map((event) => [event.kind, event.at])).toEqual([
      ['created', CREATED],
      ['started', '2030-01-01T09:01:00.000Z'],
      ['completed', '2030-01-01T09:01:30.000Z'],
      ['completed', '2030-01-01T09:01:30.000Z'],
    ]);
    expect(events[1]!.title).toBe('Attempt 1 started on worker-a');
    expect(events[2]!.title).toBe('Attempt 1 completed');
    expect(events[3]!.title).toBe('Completed');
  });

  it('shows when a failed task is due to retry, and carries each error message', () => {
    const events = deriveTimeline(
      task({
        status: 'failed',
        attempts: 1,
        next_retry_at: '2030-01-01T09:02:00.000Z',
        attempt_history: [attempt(1, 'failed', 1, 'boom')],
      }),
    );
    expect(events.at(-2)).toMatchObject({ kind: 'failed', title: 'Attempt 1 failed', detail: 'boom' });
    expect(events.at(-1)).toEqual({
      kind: 'retry-due',
      at: '2030-01-01T09:02:00.000Z',
      title: 'Retry due (attempt 2 of at most 3)',
    });
  });

  it('ends a task out of retries with "failed for good" at its finish time', () => {
    const events = deriveTimeline(
      task({
        status: 'failed',
        attempts: 1,
        max_retries: 0,
        finished_at: '2030-01-01T09:01:30.000Z',
        attempt_history: [attempt(1, 'failed', 1, 'boom')],
      }),
    );
    expect(events.at(-1)).toEqual({
      kind: 'failed-for-good',
      at: '2030-01-01T09:01:30.000Z',
      title: 'Failed for good',
      detail: '1 of at most 1 attempts used',
    });
  });

  it('marks a hand retry where the attempt numbers start again, without inventing its time', () => {
    const events = deriveTimeline(
      task({
        status: 'completed',
        attempts: 1,
        max_retries: 0,
        finished_at: '2030-01-01T09:05:30.000Z',
        attempt_history: [attempt(1, 'failed', 1, 'boom'), attempt(1, 'completed', 5)],
      }),
    );
    expect(events.map((event) => event.kind)).toEqual(['created', 'started', 'failed', 'requeued', 'started', 'completed', 'completed']);
    expect(events[3]!.at).toBeNull();
  });

  it('marks a retry of a task that is pending or running again after failing for good', () => {
    const history = [attempt(1, 'failed', 1, 'boom')];
    expect(kinds(task({ status: 'pending', attempts: 0, attempt_history: history }))).toEqual([
      'created',
      'started',
      'failed',
      'requeued',
      'due',
    ]);
    expect(kinds(task({ status: 'running', attempts: 1, started_at: CREATED, attempt_history: history }))).toEqual([
      'created',
      'started',
      'failed',
      'requeued',
      'running',
    ]);
  });

  it('does not take a normal retry after a failure, or a rerun after a release, for a hand retry', () => {
    const afterFailure = task({ status: 'running', attempts: 2, started_at: CREATED, attempt_history: [attempt(1, 'failed', 1, 'x')] });
    expect(kinds(afterFailure)).not.toContain('requeued');
    const afterRelease = task({ status: 'pending', attempts: 0, attempt_history: [attempt(1, 'released', 1)] });
    expect(kinds(afterRelease)).toEqual(['created', 'started', 'released', 'due']);
    const history = [attempt(1, 'released', 1), attempt(1, 'lease_expired', 2, 'lease expired'), attempt(2, 'completed', 3)];
    expect(kinds(task({ status: 'completed', attempts: 2, finished_at: CREATED, attempt_history: history }))).not.toContain('requeued');
  });

  it('names the worker that lost its lease and the one that handed a task back', () => {
    const events = deriveTimeline(
      task({
        status: 'pending',
        attempts: 1,
        attempt_history: [attempt(1, 'lease_expired', 1, 'lease expired'), attempt(2, 'released', 2)],
      }),
    );
    expect(events.map((event) => event.title)).toContain('Attempt 1 lost: worker-a stopped heartbeating and its lease expired');
    expect(events.map((event) => event.title)).toContain('Attempt 2 handed back by worker-a on shutdown (not counted as an attempt)');
  });

  it('shows a forced cancel of a running task as the aborted attempt, then the cancellation', () => {
    const events = deriveTimeline(
      task({ status: 'cancelled', attempts: 1, finished_at: '2030-01-01T09:01:30.000Z', attempt_history: [attempt(1, 'cancelled', 1)] }),
    );
    expect(events.slice(-2).map((event) => event.title)).toEqual(['Attempt 1 aborted by a forced cancel', 'Cancelled']);
  });

  it('leaves out the start of an attempt whose start time was not recorded', () => {
    const record = { ...attempt(1, 'failed', 1, 'x'), started_at: null };
    expect(kinds(task({ status: 'failed', attempts: 1, max_retries: 0, finished_at: CREATED, attempt_history: [record] }))).toEqual([
      'created',
      'failed',
      'failed-for-good',
    ]);
  });

  it('says so when the history is full and older attempts may have been dropped', () => {
    const history = Array.from({ length: ATTEMPT_HISTORY_LIMIT }, (_, index) => attempt(index + 5, 'failed', index, 'x'));
    const events = deriveTimeline(
      task({ status: 'failed', attempts: 24, max_retries: 30, next_retry_at: CREATED, attempt_history: history }),
    );
    expect(events[1]).toMatchObject({ kind: 'history-trimmed', at: null });
  });
});
