import { describe, expect, it } from 'vitest';
import { parseDuration, formatDuration } from '../duration.js';
import { renderStats, sparkline, type StatsSnapshot } from './stats-frame.js';

const counts = {
  pending: 3,
  running: 2,
  completed: 90,
  failed: 4,
  cancelled: 1,
  failed_awaiting_retry: 1,
  failed_permanently: 3,
  total: 100,
};

const snapshot: StatsSnapshot = {
  stats: {
    ...counts,
    counts: 'exact',
    by_task_name: { send: counts, report: { ...counts, total: 0 } },
    queue_lag_ms: 1_500,
    throughput: { last_minute: { completed: 12, failed: 1 }, last_hour: { completed: 90, failed: 3 } },
  },
  workers: [
    {
      id: 'host-1',
      host: 'host',
      pid: 1,
      started_at: '2030-01-01T00:00:00.000Z',
      concurrency: 10,
      running: 2,
      held_tasks: 3,
      running_tasks: [],
      last_seen_at: '2030-01-01T00:00:00.000Z',
      task_names: ['send', 'report'],
    },
  ],
  minutes: [0, 4, 8].map((n) => ({ minute: '', completed: n, failed: 0 })),
};

describe('renderStats', () => {
  it('shows counts per status, lag, throughput, names and workers as plain text', () => {
    const frame = renderStats(snapshot, 'header', Date.parse('2030-01-01T00:00:02.000Z'));
    expect(frame.split('\n').slice(0, 5)).toEqual([
      'header',
      '',
      'Tasks',
      '  pending  running  completed  failed  cancelled  total',
      '  3        2        90         4       1          100',
    ]);
    expect(frame).toContain('failed: 1 awaiting a retry, 3 for good');
    expect(frame).toContain('Queue lag   1.5 s');
    expect(frame).toContain('last minute 12 completed, 1 failed; last hour 90 completed, 3 failed');
    expect(frame).toContain('per minute, last 3 min: | ▄█| peak 8');
    expect(frame).toMatch(/ {2}report +3 +2 +90 +4 +1\n {2}send /);
    expect(frame).toMatch(/host-1 +2 +3 +10 +2\.0 s ago +send, report/);
    expect(frame).not.toContain('\x1b');
  });

  it('says when no worker is live', () => {
    expect(renderStats({ ...snapshot, workers: [] }, 'h')).toContain('none: no worker has sent a heartbeat lately');
  });
});

describe('sparkline and durations', () => {
  it('scales to the busiest minute, blank for none', () => {
    expect(sparkline([0, 1, 8])).toBe(' ▁█');
    expect(sparkline([0, 0])).toBe('  ');
  });

  it('parses 500ms, 60s, 5m, 1h and bare seconds; formats spans for people', () => {
    expect([
      parseDuration('500ms', 'x'),
      parseDuration('60s', 'x'),
      parseDuration('5m', 'x'),
      parseDuration('1h', 'x'),
      parseDuration('2', 'x'),
    ]).toEqual([500, 60_000, 300_000, 3_600_000, 2_000]);
    expect(() => parseDuration('soon', '--timeout')).toThrow('--timeout must be a duration');
    expect([formatDuration(850), formatDuration(12_500), formatDuration(200_000), formatDuration(7_500_000)]).toEqual([
      '850 ms',
      '13 s',
      '3 min 20 s',
      '2 h 5 min',
    ]);
  });
});
