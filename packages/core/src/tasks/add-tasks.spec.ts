import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';
import type { Queryable } from '../db/queryable.js';
import type { NewTask } from './add-task.js';
import { addTasks } from './add-tasks.js';
import { getTask } from './get-task.js';
import { getTaskStats } from './task-stats.js';

describe('addTasks', () => {
  const db = useTestDatabase({ truncateEach: true });

  async function dbNow(): Promise<Date> {
    const { rows } = await db.pool.query<{ now: Date }>('select now() as now');
    return rows[0]!.now;
  }

  /** The pool, counting the statements sent through it. */
  function countingPool(): { queryable: Queryable; statements: () => number } {
    let statements = 0;
    const queryable: Queryable = {
      query: ((...args: Parameters<Queryable['query']>) => {
        statements += 1;
        return (db.pool.query as (...a: unknown[]) => unknown)(...args);
      }) as Queryable['query'],
    };
    return { queryable, statements: () => statements };
  }

  async function storedCount(): Promise<number> {
    return (await getTaskStats(db.pool)).total;
  }

  it('returns an empty list for no tasks, without sending a statement', async () => {
    const { queryable, statements } = countingPool();
    expect(await addTasks(queryable, [])).toEqual([]);
    expect(statements()).toBe(0);
  });

  it('returns the tasks in input order, whatever their names, priorities and schedules', async () => {
    const input: NewTask[] = [
      { task_name: 'zulu', priority: 1, scheduled_at: new Date('2031-01-01T00:00:00Z'), max_retries: 0 },
      { task_name: 'alpha', priority: 9, scheduled_at: new Date('2030-01-01T00:00:00Z'), max_retries: 1 },
      { task_name: 'mike', priority: -3, max_retries: 2 },
      { task_name: 'alpha', priority: 9, scheduled_at: new Date('2029-01-01T00:00:00Z'), max_retries: 3 },
    ];
    const tasks = await addTasks(db.pool, input);
    expect(tasks.map((task) => [task.task_name, task.priority, task.max_retries])).toEqual(
      input.map((task) => [task.task_name, task.priority, task.max_retries]),
    );
    expect(new Set(tasks.map((task) => task.id)).size).toBe(input.length);
    for (const task of tasks) expect(await getTask(db.pool, task.id)).toEqual(task);
  });

  it('applies the same defaults as addTask: priority 0, scheduled now, pending, no payload, no timeout', async () => {
    const before = await dbNow();
    const [task] = await addTasks(db.pool, [{ task_name: 'defaults', max_retries: 4 }]);
    const after = await dbNow();
    expect(task).toMatchObject({
      task_name: 'defaults',
      payload: null,
      status: 'pending',
      priority: 0,
      attempts: 0,
      max_retries: 4,
      timeout_ms: null,
      last_error: null,
      next_retry_at: null,
      locked_by: null,
      lease_expires_at: null,
      result: null,
      finished_at: null,
    });
    expect(task!.scheduled_at.getTime()).toBeGreaterThanOrEqual(before.getTime());
    expect(task!.scheduled_at.getTime()).toBeLessThanOrEqual(after.getTime());
  });

  it('stores explicit values: priority, scheduled_at, max_retries, timeout_ms', async () => {
    const at = new Date('2031-05-06T07:08:09.123Z');
    const [task] = await addTasks(db.pool, [
      { task_name: 'explicit', priority: -2_147_483_648, scheduled_at: at, max_retries: 1_000, timeout_ms: 60_000 },
    ]);
    expect(task).toMatchObject({ priority: -2_147_483_648, max_retries: 1_000, timeout_ms: 60_000 });
    expect(task!.scheduled_at).toEqual(at);
  });

  it('inserts 1,000 tasks with one statement, in order', async () => {
    const { queryable, statements } = countingPool();
    const input = Array.from({ length: 1_000 }, (_, i) => ({ task_name: `bulk-${i}`, payload: { i }, max_retries: i % 5 }));
    const tasks = await addTasks(queryable, input);
    expect(statements()).toBe(1);
    expect(tasks.map((task) => task.task_name)).toEqual(input.map((task) => task.task_name));
    expect(tasks.map((task) => task.payload)).toEqual(input.map((task) => task.payload));
    expect(await storedCount()).toBe(1_000);
  });

  it('stores payloads exactly: arrays stay JSON arrays, strings that look like arrays stay strings', async () => {
    // [payload, its jsonb_typeof]; an omitted payload is SQL null, an explicit null JSON null, as with addTask.
    const cases: [unknown, string | null][] = [
      [[1, 'two', { three: 3 }, [4], null, true], 'array'],
      [[], 'array'],
      [['a', 'b'], 'array'],
      ['{1,2}', 'string'],
      ['{"a":1}', 'string'],
      ['NULL', 'string'],
      ['null', 'string'],
      [null, 'null'],
      [undefined, null],
      [{ quote: '"', backslash: '\\', braces: '{}', comma: ',', newline: 'a\nb', unicode: 'ü ✓ 😀' }, 'object'],
      [42, 'number'],
      [false, 'boolean'],
    ];
    const tasks = await addTasks(
      db.pool,
      cases.map(([payload]) => ({ task_name: 'payload', payload, max_retries: 0 })),
    );
    const { rows } = await db.pool.query<{ id: string; type: string | null }>(
      'select id, jsonb_typeof(payload) as type from tasks where id = any($1::uuid[])',
      [tasks.map((task) => task.id)],
    );
    const typeById = new Map(rows.map((row) => [row.id, row.type]));
    cases.forEach(([payload, type], i) => {
      const task = tasks[i]!;
      expect(task.payload, `case ${i}`).toEqual(payload ?? null);
      expect(typeById.get(task.id), `case ${i}`).toBe(type);
    });
  });

  it('joins the caller’s transaction: rolled back, none of the tasks exist', async () => {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      const tasks = await addTasks(client, [
        { task_name: 'in-tx', max_retries: 1 },
        { task_name: 'in-tx', max_retries: 1 },
      ]);
      expect((await getTaskStats(client)).total).toBe(2);
      expect(await storedCount()).toBe(0);
      await client.query('rollback');
      expect(tasks).toHaveLength(2);
    } finally {
      client.release();
    }
    expect(await storedCount()).toBe(0);
  });

  it('is all-or-nothing: one row the database refuses fails the whole call and stores nothing', async () => {
    const input: NewTask[] = [
      { task_name: 'fine', max_retries: 1 },
      { task_name: 'fine', max_retries: 2 },
      { task_name: 'negative', max_retries: -1 },
      { task_name: 'fine', max_retries: 3 },
    ];
    await expect(addTasks(db.pool, input)).rejects.toMatchObject({ code: '23514' });
    await expect(
      addTasks(db.pool, [
        { task_name: 'fine', max_retries: 0 },
        { task_name: '', max_retries: 0 },
      ]),
    ).rejects.toMatchObject({
      code: '23514',
    });
    expect(await storedCount()).toBe(0);
  });
});
