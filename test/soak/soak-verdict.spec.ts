import { describe, expect, it } from 'vitest';
import { exitCodeOf, judgeSeries, type VerdictRow } from '../../scripts/src/soak/verdict.js';

const MiB = 1024 * 1024;
const TEN_MINUTES = { durationSeconds: 600, warmupSeconds: 120, targetRate: 1_000 };

/**
 * A 10-minute series sampled every 10 s that looks like a healthy soak: the table and its
 * indexes on a plateau with a little noise, dead tuples in a saw-tooth (one autovacuum a
 * minute), p99 pickup around 15 ms, 1,000 tasks/s stored. `change` bends one quantity.
 */
function series(change: (row: VerdictRow, minute: number) => Partial<VerdictRow> = () => ({})): VerdictRow[] {
  return Array.from({ length: 60 }, (_, i) => {
    const t = (i + 1) * 10;
    const wobble = i % 3 === 0 ? 1.02 : i % 3 === 1 ? 0.99 : 1;
    const row: VerdictRow = {
      t,
      submittedPerS: 1_000,
      errors: 0,
      tableBytes: 40 * MiB * wobble,
      indexBytes: 12 * MiB * wobble,
      deadTuples: ((i % 6) + 1) * 30_000,
      pickupP99Ms: 15 * wobble,
    };
    return { ...row, ...change(row, t / 60) };
  });
}

describe('the soak verdict', () => {
  it('calls a flat series steady and exits 0', () => {
    const verdict = judgeSeries(series(), TEN_MINUTES);
    expect(verdict.status).toBe('steady');
    expect(verdict.checks.map((check) => [check.name, check.ok])).toEqual([
      ['table', true],
      ['indexes', true],
      ['dead tuples', true],
      ['pickup p99', true],
    ]);
    expect(verdict.line).toMatch(
      /^verdict: steady — last third \(t 450–600 s\) vs middle third \(t 290–440 s\) after a 120 s warm-up: table 40\.\d+ → 40\.\d+ MB/,
    );
    expect(exitCodeOf(verdict)).toBe(0);
  });

  it('calls a table that keeps growing (2 MB a minute on 40 MB) not steady, naming it first', () => {
    const verdict = judgeSeries(
      series((row, minute) => ({ tableBytes: row.tableBytes + minute * 2 * MiB })),
      TEN_MINUTES,
    );
    expect(verdict.status).toBe('NOT steady');
    expect(verdict.checks.filter((check) => !check.ok).map((check) => check.name)).toEqual(['table']);
    expect(verdict.line).toMatch(
      /^verdict: NOT steady — .*after a 120 s warm-up: table \d+(\.\d+)? → \d+(\.\d+)? MB \(\+\d+(\.\d+)?%, limit \d+(\.\d+)? MB, OVER\); indexes/,
    );
    expect(exitCodeOf(verdict)).toBe(1);
  });

  it('calls dead tuples that pile up not steady', () => {
    const verdict = judgeSeries(
      series((_row, minute) => ({ deadTuples: minute * 100_000 })),
      TEN_MINUTES,
    );
    expect(verdict.status).toBe('NOT steady');
    expect(verdict.checks.filter((check) => !check.ok).map((check) => check.name)).toEqual(['dead tuples']);
  });

  it('calls a rising pickup latency not steady', () => {
    const verdict = judgeSeries(
      series((_row, minute) => ({ pickupP99Ms: 15 * 2 ** minute })),
      TEN_MINUTES,
    );
    expect(verdict.status).toBe('NOT steady');
    expect(verdict.checks.filter((check) => !check.ok).map((check) => check.name)).toEqual(['pickup p99']);
    expect(verdict.line).toContain('pickup p99');
  });

  it('tolerates a p99 within twice the middle third plus 50 ms', () => {
    const verdict = judgeSeries(
      series((row) => ({ pickupP99Ms: row.t > 440 ? 75 : 15 })),
      TEN_MINUTES,
    );
    const p99 = verdict.checks.find((check) => check.name === 'pickup p99')!;
    expect(p99).toMatchObject({ middle: 15, last: 75, limit: 80, ok: true });
    expect(verdict.status).toBe('steady');
  });

  it('ignores growth during the warm-up, which is at least 20 % of the run', () => {
    const settling = (row: VerdictRow) => ({ tableBytes: row.t <= 120 ? (row.t / 120) * 40 * MiB : 40 * MiB });
    expect(judgeSeries(series(settling), TEN_MINUTES).status).toBe('steady');
    const twentyMinutes = { ...TEN_MINUTES, durationSeconds: 1_200 };
    expect(judgeSeries(series(settling), twentyMinutes).warmupSeconds).toBe(240);
  });

  it('is inconclusive, and exits 1, when the submitter could not keep the rate asked for', () => {
    const verdict = judgeSeries(
      series(() => ({ submittedPerS: 700 })),
      TEN_MINUTES,
    );
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.sustainedRate).toBe(700);
    expect(verdict.line).toMatch(/^verdict: inconclusive — the submitter stored 700\/s of the 1000\/s asked; last third/);
    expect(exitCodeOf(verdict)).toBe(1);
  });

  it('is inconclusive when requests were refused', () => {
    const verdict = judgeSeries(
      series((row) => ({ errors: row.t === 500 ? 100 : 0 })),
      TEN_MINUTES,
    );
    expect(verdict.status).toBe('inconclusive');
    expect(verdict.line).toContain('and 100 task(s) were refused or lost');
  });

  it('is inconclusive with fewer than three samples after the warm-up', () => {
    const verdict = judgeSeries(series().slice(0, 13), TEN_MINUTES);
    expect(verdict).toMatchObject({ status: 'inconclusive', checks: [] });
    expect(verdict.line).toBe('verdict: inconclusive — 1 sample(s) after the 120 s warm-up; at least 3 are needed');
  });

  it('judges a growing table not steady even when the rate was not kept', () => {
    const verdict = judgeSeries(
      series((row, minute) => ({ submittedPerS: 700, tableBytes: row.tableBytes * minute })),
      TEN_MINUTES,
    );
    expect(verdict.status).toBe('NOT steady');
    expect(verdict.line).toMatch(/^verdict: NOT steady — the submitter stored 700\/s/);
  });

  it('says when autovacuum is off on the server, as that explains growing dead tuples', () => {
    const verdict = judgeSeries(
      series((_row, minute) => ({ deadTuples: minute * 100_000 })),
      { ...TEN_MINUTES, autovacuumEnabled: false },
    );
    expect(verdict.status).toBe('NOT steady');
    expect(verdict.line).toMatch(/; autovacuum is off on this server, so only a manual VACUUM reclaims dead tuples$/);
    expect(judgeSeries(series(), { ...TEN_MINUTES, autovacuumEnabled: true }).line).not.toContain('autovacuum');
  });
});
