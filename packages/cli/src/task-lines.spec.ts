import { describe, expect, it } from 'vitest';
import { taskProblems } from './task-fields.js';
import { lineRanges, parseTaskLines } from './task-lines.js';

describe('parseTaskLines (JSON-lines of tasks)', () => {
  it('keeps each task with its 1-based line number, skipping blank lines, accepting CRLF and a BOM', () => {
    const text = '\uFEFF{"task_name":"a"}\r\n\n   \n{"task_name":"b","payload":{"x":[1]},"priority":-3}\r\n';
    expect(parseTaskLines(text)).toEqual({
      tasks: [
        { line: 1, task: { task_name: 'a' } },
        { line: 4, task: { task_name: 'b', payload: { x: [1] }, priority: -3 } },
      ],
      problems: [],
    });
  });

  it('reports every bad line, not only the first', () => {
    const text = ['{"task_name":"ok"}', '{"task_name":', '"just a string"', '{"task_name":"x","max_retries":-1,"colour":"red"}'].join('\n');
    const { tasks, problems } = parseTaskLines(text);
    expect(tasks.map((task) => task.line)).toEqual([1]);
    expect(problems.map((problem) => problem.line)).toEqual([2, 3, 4]);
    expect(problems[0]!.message).toMatch(/^not valid JSON: /);
    expect(problems[1]!.message).toBe('must be a JSON object with a task_name');
    expect(problems[2]!.message).toBe(
      'max_retries must be from 0 to 1000; colour is not a known field (known: task_name, payload, scheduled_at, priority, max_retries, timeout_ms, idempotency_key)',
    );
  });
});

describe("taskProblems (the API's rules, checked before sending)", () => {
  it.each([
    [{ task_name: '  ' }, 'task_name must not be empty'],
    [{ task_name: 'x'.repeat(256) }, 'task_name must be at most 255 characters'],
    [
      { task_name: 'x', scheduled_at: '2030-01-01T09:00:00' },
      'scheduled_at must be an ISO 8601 date-time with a time zone, such as 2030-01-01T09:00:00Z',
    ],
    [{ task_name: 'x', priority: 2 ** 31 }, 'priority must be from -2147483648 to 2147483647'],
    [{ task_name: 'x', timeout_ms: 0 }, 'timeout_ms must be from 1 to 604800000'],
    [{ task_name: 'x', idempotency_key: '' }, 'idempotency_key must not be empty'],
  ])('%j: %s', (task, problem) => {
    expect(taskProblems(task)).toEqual([problem]);
  });

  it('accepts every field the API takes, a null key and any payload', () => {
    const task = {
      task_name: 'x',
      payload: [null, 'a'],
      scheduled_at: '2030-01-01T09:00:00+02:00',
      priority: 5,
      max_retries: 0,
      timeout_ms: 1,
      idempotency_key: null,
    };
    expect(taskProblems(task)).toEqual([]);
  });
});

describe('lineRanges', () => {
  it('writes line numbers as sorted ranges', () => {
    expect(lineRanges([5, 1, 2, 3, 9, 10, 7])).toBe('1-3, 5, 7, 9-10');
    expect(lineRanges([])).toBe('');
  });
});
