import { describe, expect, it } from 'vitest';
import { heartbeatAge, throughputTotals } from './overview-figures';

describe('throughputTotals', () => {
  it('adds up completed and failed tasks and finds the busiest minute', () => {
    const minutes = [
      { minute: '2030-01-01T09:00:00.000Z', completed: 4, failed: 1 },
      { minute: '2030-01-01T09:01:00.000Z', completed: 0, failed: 0 },
      { minute: '2030-01-01T09:02:00.000Z', completed: 2, failed: 6 },
    ];
    expect(throughputTotals(minutes)).toEqual({ completed: 6, failed: 7, peak: 8 });
  });

  it('is all zeros for no minutes', () => {
    expect(throughputTotals([])).toEqual({ completed: 0, failed: 0, peak: 0 });
  });
});

describe('heartbeatAge', () => {
  const now = Date.parse('2030-01-01T09:00:10.000Z');

  it('gives whole seconds since the heartbeat', () => {
    expect(heartbeatAge('2030-01-01T09:00:06.600Z', now)).toBe('3 s ago');
    expect(heartbeatAge('2030-01-01T08:58:10.000Z', now)).toBe('120 s ago');
  });

  it('never goes negative when the browser clock is behind the server', () => {
    expect(heartbeatAge('2030-01-01T09:00:12.000Z', now)).toBe('0 s ago');
  });
});
