import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';

interface Row {
  key: string;
  workload: string;
  metric: string;
  unit: string;
  better: 'higher' | 'lower';
  target?: number;
  label: string;
}
type Run = Record<string, number | boolean | null | undefined>;
interface Cell {
  value: number;
  partial?: boolean;
}

// The pure arithmetic of compare.mjs's report (bench/compare/summary.mjs), and the rows it reports.
const summary = (await import(`${REPO_ROOT}bench/compare/summary.mjs`)) as {
  median: (values: Array<number | null | undefined>) => number | null;
  percentile: (values: number[], p: number) => number | null;
  summarizeRuns: (runs: Run[]) => Record<string, number | boolean | null>;
  compareRow: (
    row: Row,
    values: Map<string, number | null>,
    ours?: string,
  ) => { best: { column: string; value: number } | null; ratio: number | null; pass: boolean | null };
  targetText: (row: Row) => string;
  formatValue: (value: unknown) => string;
  formatTable: (rows: Row[], columns: string[], cells: (row: Row) => Map<string, Cell>) => string;
  drainResult: (input: {
    tasks: number;
    seconds: number;
    startupMs: number;
    workerCpuS: number | null;
    postgresCpuS: number | null;
    duplicates: number;
    missing: number;
    peakRssMb: Array<number | null>;
  }) => Record<string, number | null>;
  exactlyOnce: (expected: number, lists: Array<Array<[number, number]>>) => { duplicates: number; missing: number; unexpected: number };
};
const { ROWS } = (await import(`${REPO_ROOT}bench/compare/workloads.mjs`)) as { ROWS: Row[] };
const row = (key: string) => ROWS.find((r) => r.key === key)!;

describe("bench/compare's arithmetic (summary.mjs)", () => {
  it('takes medians of the finite values, the mean of the middle two for an even count', () => {
    expect(summary.median([3, 1, 2])).toBe(2);
    expect(summary.median([4, 1, 3, 2])).toBe(2.5);
    expect(summary.median([5, null, undefined, Number.NaN])).toBe(5);
    expect(summary.median([])).toBeNull();
  });

  it('takes percentiles by nearest rank, as the root bench does', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summary.percentile(values, 50)).toBe(50);
    expect(summary.percentile(values, 99)).toBe(99);
    expect(summary.percentile([7], 99)).toBe(7);
    expect(summary.percentile([], 50)).toBeNull();
  });

  it('summarises runs: medians of the metrics, exactly-once counts summed, partial when any run was', () => {
    const runs: Run[] = [
      { tasks_per_s: 100, startup_ms: 300, duplicates: 0, missing: 1 },
      { tasks_per_s: 300, startup_ms: 100, duplicates: 2, missing: 0, partial: true, unfinished: 5 },
      { tasks_per_s: 200, startup_ms: 200, duplicates: 0, missing: 0 },
    ];
    expect(summary.summarizeRuns(runs)).toEqual({
      tasks_per_s: 200,
      startup_ms: 200,
      duplicates: 2,
      missing: 1,
      unfinished: 5,
      partial: true,
    });
  });

  it('compares a higher-is-better row with the best anchor: ratio taskforge / best, ✓ at ≥ 1.5 ×', () => {
    const values = new Map<string, number | null>([
      ['taskforge', 9_000],
      ['pg-boss tuned', 6_000],
      ['bullmq defaults', 1_000],
      ['pg-boss defaults', null],
    ]);
    expect(summary.compareRow(row('A'), values)).toEqual({ best: { column: 'pg-boss tuned', value: 6_000 }, ratio: 1.5, pass: true });
    values.set('taskforge', 8_999);
    expect(summary.compareRow(row('A'), values).pass).toBe(false);
  });

  it('compares a lower-is-better row with the lowest anchor: ✓ at ≤ 1 ×', () => {
    const values = new Map<string, number | null>([
      ['taskforge', 4],
      ['graphile-worker defaults', 5],
      ['bullmq defaults', 4],
    ]);
    expect(summary.compareRow(row('C-p50'), values)).toEqual({ best: { column: 'bullmq defaults', value: 4 }, ratio: 1, pass: true });
    values.set('taskforge', 4.01);
    expect(summary.compareRow(row('C-p50'), values).pass).toBe(false);
  });

  it('has no verdict without a target, without taskforge, or without an anchor', () => {
    expect(
      summary.compareRow(
        row('startup'),
        new Map([
          ['taskforge', 900],
          ['pg-boss tuned', 300],
        ]),
      ),
    ).toEqual({
      best: { column: 'pg-boss tuned', value: 300 },
      ratio: 3,
      pass: null,
    });
    expect(summary.compareRow(row('B'), new Map([['pg-boss tuned', 300]]))).toMatchObject({ ratio: null, pass: null });
    expect(summary.compareRow(row('B'), new Map([['taskforge', 300]]))).toEqual({ best: null, ratio: null, pass: null });
  });

  it("has the issue's targets on A, A2, B and C, none elsewhere", () => {
    const targets = Object.fromEntries(ROWS.map((r) => [r.key, summary.targetText(r)]));
    expect(targets).toEqual({
      A: '≥ 1.5 ×',
      'A-after': '',
      A2: '≥ 1.5 ×',
      'A2-after': '',
      B: '≥ 1.5 ×',
      'C-p50': '≤ best',
      'C-p99': '≤ best',
      startup: '',
      'worker-cpu': '',
      'postgres-cpu': '',
    });
  });

  it('derives the drain figures: rates from process start and after start-up, CPU per task in µs', () => {
    const result = summary.drainResult({
      tasks: 20_000,
      seconds: 4,
      startupMs: 1_500,
      workerCpuS: 2,
      postgresCpuS: null,
      duplicates: 0,
      missing: 0,
      peakRssMb: [120, null, 140],
    });
    expect(result).toEqual({
      tasks_per_s: 5_000,
      tasks_per_s_after_startup: 8_000,
      startup_ms: 1_500,
      seconds: 4,
      worker_cpu_s: 2,
      postgres_cpu_s: null,
      worker_cpu_us_per_task: 100,
      postgres_cpu_us_per_task: null,
      duplicates: 0,
      missing: 0,
      peak_rss_mb: 140,
    });
  });

  it('checks exactly-once over the counts of every process', () => {
    expect(
      summary.exactlyOnce(5, [
        [
          [0, 1],
          [1, 2],
          [7, 1],
        ],
        [
          [1, 1],
          [3, 1],
        ],
      ]),
    ).toEqual({ duplicates: 2, missing: 2, unexpected: 1 });
  });

  it('prints a row per metric with each column, the best anchor, the ratio, the target and the verdict', () => {
    const cells = (r: Row) =>
      r.key === 'A'
        ? new Map<string, Cell>([
            ['taskforge', { value: 9_000 }],
            ['pg-boss tuned', { value: 6_000 }],
            ['pg-boss defaults', { value: 5, partial: true }],
          ])
        : new Map<string, Cell>([
            ['taskforge', { value: 4.5 }],
            ['pg-boss tuned', { value: 3 }],
          ]);
    const lines = summary.formatTable([row('A'), row('C-p50')], ['taskforge', 'pg-boss defaults', 'pg-boss tuned'], cells).split('\n');
    expect(lines[0]).toMatch(/^row +unit +taskforge +pg-boss defaults +pg-boss tuned +best anchor +ratio +target$/);
    expect(lines[2]).toMatch(/^A tasks\/s from process start +tasks\/s +9,000 +5\.00\* +6,000 +pg-boss tuned +1\.50 × +≥ 1\.5 × +✓$/);
    expect(lines[3]).toMatch(/^C pickup latency p50 +ms +4\.50 +- +3\.00 +pg-boss tuned +1\.50 × +≤ best +✗$/);
  });
});
