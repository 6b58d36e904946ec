import { describe, expect, it } from 'vitest';
import { allowedActions, isFinal, statusDetail } from './task-state';

const LATER = '2030-01-01T09:00:00.000Z';

describe('what a task state allows', () => {
  it('offers a pending task every action but retry, with a plain cancel', () => {
    expect(allowedActions({ status: 'pending', next_retry_at: null })).toEqual({
      cancel: 'plain',
      reschedule: true,
      retry: false,
      runNow: true,
    });
  });

  it('offers a running task only a forced cancel', () => {
    expect(allowedActions({ status: 'running', next_retry_at: null })).toEqual({
      cancel: 'force-running',
      reschedule: false,
      retry: false,
      runNow: false,
    });
  });

  it('lets a failed task awaiting its retry run now, be retried, or have its retries cancelled', () => {
    expect(allowedActions({ status: 'failed', next_retry_at: LATER })).toEqual({
      cancel: 'force-retry',
      reschedule: false,
      retry: true,
      runNow: true,
    });
  });

  it('lets a task that failed for good or was cancelled only be retried', () => {
    const onlyRetry = { cancel: null, reschedule: false, retry: true, runNow: false };
    expect(allowedActions({ status: 'failed', next_retry_at: null })).toEqual(onlyRetry);
    expect(allowedActions({ status: 'cancelled', next_retry_at: null })).toEqual(onlyRetry);
  });

  it('offers a completed task nothing', () => {
    expect(allowedActions({ status: 'completed', next_retry_at: null })).toEqual({
      cancel: null,
      reschedule: false,
      retry: false,
      runNow: false,
    });
  });
});

describe('final states and the failed badge', () => {
  it('counts a failed task as final only once no retry is ahead', () => {
    expect(isFinal({ status: 'failed', next_retry_at: LATER })).toBe(false);
    expect(isFinal({ status: 'failed', next_retry_at: null })).toBe(true);
    expect(isFinal({ status: 'completed', next_retry_at: null })).toBe(true);
    expect(isFinal({ status: 'running', next_retry_at: null })).toBe(false);
  });

  it('says "for good" or when the retry is due', () => {
    expect(statusDetail({ status: 'failed', next_retry_at: null })).toBe('for good');
    expect(statusDetail({ status: 'failed', next_retry_at: LATER })).toMatch(/^retry at \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/);
    expect(statusDetail({ status: 'pending', next_retry_at: null })).toBeUndefined();
  });
});
