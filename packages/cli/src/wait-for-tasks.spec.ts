import { describe, expect, it } from 'vitest';
import type { TaskStatus } from '@taskforge/client';
import { waitForTasks } from './wait-for-tasks.js';
import { worstOutcome } from './exit-codes.js';

function task(id: string, status: TaskStatus, next_retry_at: string | null = null) {
  return { id, status, next_retry_at };
}

describe('waitForTasks', () => {
  it('looks again at unfinished tasks only, until each is final; a failed task awaiting a retry is not final', async () => {
    const looks: string[] = [];
    const states: Record<string, Array<TaskStatus | 'failed-retrying'>> = {
      a: ['running', 'completed'],
      b: ['failed-retrying', 'failed'],
      c: ['cancelled'],
    };
    const results = await waitForTasks(['a', 'b', 'c', 'a'], {
      deadline: Date.now() + 10_000,
      intervalMs: 1,
      get: async (id) => {
        looks.push(id);
        const next = states[id]!.length > 1 ? states[id]!.shift()! : states[id]![0]!;
        return next === 'failed-retrying' ? task(id, 'failed', '2030-01-01T00:00:00Z') : task(id, next);
      },
    });
    expect(results.map((result) => [result.id, result.outcome])).toEqual([
      ['a', 'completed'],
      ['b', 'failed'],
      ['c', 'cancelled'],
    ]);
    expect(looks.sort()).toEqual(['a', 'a', 'b', 'b', 'c']);
  });

  it('settles unknown ids as not_found at once and the rest as timed_out at the deadline, with the task as last seen', async () => {
    const progress: [number, number][] = [];
    const results = await waitForTasks(['gone', 'slow'], {
      deadline: Date.now() + 50,
      intervalMs: 10,
      get: async (id) => (id === 'gone' ? null : task(id, 'pending')),
      onProgress: (settled, unsuccessful) => progress.push([settled, unsuccessful]),
    });
    expect(results).toEqual([
      { id: 'gone', outcome: 'not_found', task: null },
      { id: 'slow', outcome: 'timed_out', task: expect.objectContaining({ status: 'pending' }) },
    ]);
    expect(progress).toEqual([[1, 1]]);
  });
});

describe('worstOutcome', () => {
  it('ranks unreachable, refused, bad outcome, timed out, then success', () => {
    expect(worstOutcome([])).toBe(0);
    expect(worstOutcome([0, 5, 1])).toBe(1);
    expect(worstOutcome([5, 0])).toBe(5);
    expect(worstOutcome([1, 3, 5])).toBe(3);
    expect(worstOutcome([3, 4])).toBe(4);
  });
});
