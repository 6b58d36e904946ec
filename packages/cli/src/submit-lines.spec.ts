import { describe, expect, it } from 'vitest';
import { planChunks, submitChunks } from './submit-lines.js';
import type { TaskLine } from './task-lines.js';

const lines = (count: number, extra: (i: number) => object = () => ({})): TaskLine[] =>
  Array.from({ length: count }, (_, i) => ({ line: i + 1, task: { task_name: 'noop', ...extra(i) } }));

describe('planChunks', () => {
  it('cuts runs of plain lines into batches of at most batchSize, in file order', () => {
    const chunks = planChunks(lines(1_050), 500);
    expect(chunks.map((chunk) => [chunk.kind, chunk.lines[0]!.line, chunk.lines.length])).toEqual([
      ['batch', 1, 500],
      ['batch', 501, 500],
      ['batch', 1_001, 50],
    ]);
  });

  it('sends a line with an idempotency_key alone (batches refuse keys), keeping the order around it', () => {
    const chunks = planChunks(
      lines(5, (i) => (i === 2 ? { idempotency_key: 'k' } : {})),
      10,
    );
    expect(chunks.map((chunk) => [chunk.kind, chunk.lines.map((line) => line.line)])).toEqual([
      ['batch', [1, 2]],
      ['single', [3]],
      ['batch', [4, 5]],
    ]);
  });

  it('keeps a batch under the byte budget, whatever the count allows', () => {
    const big = 'x'.repeat(1_000);
    const chunks = planChunks(
      lines(10, () => ({ payload: big })),
      1_000,
      3_500,
    );
    expect(chunks.map((chunk) => chunk.lines.length)).toEqual([3, 3, 3, 1]);
  });
});

describe('submitChunks', () => {
  it('stops at the first chunk that fails: what was stored is exactly the lines before it', async () => {
    const chunks = planChunks(lines(10), 3);
    const stored: number[][] = [];
    let calls = 0;
    const report = await submitChunks(
      chunks,
      {
        submitBatch: async (tasks) => {
          calls += 1;
          if (calls === 3) throw new Error('refused');
          return tasks.map((_, i) => `id-${calls}-${i}`);
        },
        submitOne: async () => 'never',
      },
      { onStored: (entries) => stored.push(entries.map((entry) => entry.line)) },
    );
    expect(stored).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    expect(report.stored.map((entry) => entry.line)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(report.stored[4]).toEqual({ line: 5, id: 'id-2-1' });
    expect(report.failure!.chunk.lines.map((line) => line.line)).toEqual([7, 8, 9]);
    expect(report.notSent).toEqual([10]);
    expect(report.stopped).toBe(false);
  });

  it('stops between chunks when asked, listing what was not sent', async () => {
    let sent = 0;
    const report = await submitChunks(
      planChunks(lines(6), 2),
      { submitBatch: async (tasks) => tasks.map(() => `id-${sent++}`), submitOne: async () => 'never' },
      { shouldStop: () => sent >= 2 },
    );
    expect(report).toMatchObject({ stopped: true, notSent: [3, 4, 5, 6] });
    expect(report.stored).toHaveLength(2);
  });

  it('treats an answer with the wrong number of ids as a failure of that chunk', async () => {
    const report = await submitChunks(planChunks(lines(2), 2), { submitBatch: async () => ['only-one'], submitOne: async () => 'x' });
    expect(report.stored).toEqual([]);
    expect(String(report.failure!.error)).toContain('1 ids for 2 tasks');
  });
});
