import { describe, expect, it } from 'vitest';
import { checkTaskTypeOptions, taskTypeOptionsProblems } from './task-type-options.js';

describe('task type options', () => {
  it('accepts none, any one, or all three when valid', () => {
    for (const options of [
      undefined,
      {},
      { timeoutMs: 1 },
      { concurrency: 1 },
      { maxRetries: 0 },
      { timeoutMs: 60_000, concurrency: 4, maxRetries: 1_000 },
    ]) {
      expect(taskTypeOptionsProblems(options)).toEqual([]);
    }
    // An explicit undefined is the same as leaving the option out.
    expect(taskTypeOptionsProblems({ concurrency: undefined, maxRetries: undefined })).toEqual([]);
  });

  it.each([
    [{ timeoutMs: 0 }, 'timeoutMs must be a positive integer of milliseconds, got 0'],
    [{ concurrency: 0 }, 'concurrency must be a positive integer (most tasks of this type running at once in one worker), got 0'],
    [{ concurrency: 2.5 }, 'concurrency must be a positive integer (most tasks of this type running at once in one worker), got 2.5'],
    [{ concurrency: '2' }, 'concurrency must be a positive integer (most tasks of this type running at once in one worker), got "2"'],
    [
      { concurrency: Number.POSITIVE_INFINITY },
      'concurrency must be a positive integer (most tasks of this type running at once in one worker), got Infinity',
    ],
    [{ maxRetries: -1 }, 'maxRetries must be an integer from 0 to 1000, got -1'],
    [{ maxRetries: 1_001 }, 'maxRetries must be an integer from 0 to 1000, got 1001'],
    [{ maxRetries: null }, 'maxRetries must be an integer from 0 to 1000, got null'],
    [{ maxRetry: 3 }, 'unknown option "maxRetry" (known: timeoutMs, concurrency, maxRetries)'],
    [5, 'options must be an object, got 5'],
    [[], 'options must be an object, got an array'],
  ])('refuses %j: %s', (options, message) => {
    expect(taskTypeOptionsProblems(options)).toEqual([message]);
  });

  it('names the owner and every problem at once', () => {
    expect(() => checkTaskTypeOptions("@Task('x') on XHandler", { concurrency: 0, maxRetries: -1 })).toThrow(
      "@Task('x') on XHandler: concurrency must be a positive integer (most tasks of this type running at once in one worker), got 0; maxRetries must be an integer from 0 to 1000, got -1",
    );
  });
});
