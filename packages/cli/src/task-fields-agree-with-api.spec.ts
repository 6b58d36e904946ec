import { describe, expect, it } from 'vitest';
import { createTaskRequest } from '../../../apps/api/src/tasks/task-requests.js';
import { TASK_FIELDS, taskProblems } from './task-fields.js';

/*
 * The CLI checks a bulk file's lines before sending any (task-fields.ts), with its own copy of the
 * API's rules, since the CLI must not import the API. This pins the copy to the API's schema: the
 * same fields, and the same verdict at every boundary. The only lines allowed to differ are those
 * the CLI leaves to the API on purpose (it stays the final judge, and such a line is reported
 * with its number when the API refuses it).
 */
const INT32_MAX = 2_147_483_647;
const INT32_MIN = -2_147_483_648;
const SEVEN_DAYS_MS = 7 * 86_400_000;

const cases: Record<string, unknown[]> = {
  task_name: ['a', ' padded ', 'x'.repeat(255), 'x'.repeat(256), '', '   ', 5, null, ['a']],
  payload: [null, 0, 'text', { nested: [1, 2] }, [1, 2]],
  scheduled_at: ['2030-01-01T09:00:00Z', '2030-01-01T09:00:00.123+02:00', '2030-01-01T09:00', '2030-01-01', 'tomorrow', 5, null],
  priority: [0, -1, INT32_MAX, INT32_MAX + 1, INT32_MIN, INT32_MIN - 1, 1.5, '3', null],
  max_retries: [0, 1_000, 1_001, -1, 2.5, '1', null],
  timeout_ms: [1, SEVEN_DAYS_MS, SEVEN_DAYS_MS + 1, 0, -5, 10.5, null],
  idempotency_key: ['k', ' spaced ', 'k'.repeat(255), 'k'.repeat(256), '', null, 5],
};

/** Lines the CLI lets through on purpose and the API refuses: its final word, per line. */
const leftToTheApi = [
  { scheduled_at: '2030-02-30T09:00:00Z' }, // well-formed, but no such day
  { scheduled_at: '9999-12-31T23:00:00-05:00' }, // past year 9999 in UTC
  { task_name: 'nul\u0000byte' }, // not storable in PostgreSQL text
];

const apiAccepts = (task: object) => createTaskRequest.safeParse(task).success;
const cliAccepts = (task: object) => taskProblems(task).length === 0;

describe("the CLI's line checks agree with the API's POST /tasks schema", () => {
  it('know the same fields', () => {
    expect([...TASK_FIELDS].sort()).toEqual(Object.keys(createTaskRequest.shape).sort());
    expect(cliAccepts({ task_name: 'a', unknown_field: 1 })).toBe(false);
    expect(apiAccepts({ task_name: 'a', unknown_field: 1 })).toBe(false);
    expect(cliAccepts({ payload: 1 })).toBe(false);
    expect(apiAccepts({ payload: 1 })).toBe(false);
  });

  for (const [field, values] of Object.entries(cases)) {
    it(`give the same verdict on ${field} at its boundaries`, () => {
      for (const value of values) {
        const task = field === 'task_name' ? { task_name: value } : { task_name: 'noop', [field]: value };
        expect(cliAccepts(task), `${field} = ${JSON.stringify(value)?.slice(0, 40)}`).toBe(apiAccepts(task));
      }
    });
  }

  it('leave only the documented cases to the API', () => {
    for (const line of leftToTheApi) {
      const task = { task_name: 'noop', ...line };
      expect(apiAccepts(task), JSON.stringify(line)).toBe(false);
      expect(cliAccepts(task), JSON.stringify(line)).toBe(true);
    }
  });
});
