import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { startNodeScript } from '../support/processes.js';

/**
 * `npm run soak`, as the compiled script users run, kept short and slow (20 s at 50 tasks/s)
 * so it costs little: whether the verdict is steady is not the point here (the verdict's
 * logic has its own spec), only that a run samples, judges and exits to match its verdict.
 */
describe('the soak command', () => {
  const dir = mkdtempSync(join(tmpdir(), 'taskforge-soak-spec-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('runs the API and workers, prints a row per sample and a verdict, and exits to match it', { timeout: 180_000 }, async () => {
    const json = join(dir, 'series.json');
    const run = startNodeScript('scripts/dist/soak.js', { DATABASE_URL: inject('adminDatabaseUrl') }, [
      '--minutes',
      '0.34',
      '--rate',
      '50',
      '--sample-seconds',
      '5',
      '--warmup-seconds',
      '5',
      '--workers',
      '1',
      '--json',
      json,
    ]);
    const code = await run.exited;
    const output = run.output();

    const header = output.split('\n').find((line) => line.trimStart().startsWith('t s'));
    expect(header, output).toMatch(/sub\/s .* p50 ms +p99 ms +table MB +index MB +live +dead +vac +anl +deleted/);
    const rows = output.split('\n').filter((line) => /^ +(5|10|15|20) +\d+ /.test(line));
    expect(rows.map((line) => Number(line.trim().split(/ +/)[0]))).toEqual([5, 10, 15, 20]);
    expect(output).toContain('p50/p99   claim latency, measured as pickup latency: started_at − scheduled_at');

    const verdict = output.split('\n').find((line) => line.startsWith('verdict: '));
    expect(verdict, output).toMatch(/^verdict: (steady|NOT steady|inconclusive) — /);
    expect(code).toBe(verdict!.startsWith('verdict: steady') ? 0 : 1);

    const written = JSON.parse(readFileSync(json, 'utf8')) as {
      rows: { t: number; submittedPerS: number; completedPerS: number }[];
      verdict: { line: string };
    };
    expect(written.rows.map((row) => row.t)).toEqual([5, 10, 15, 20]);
    expect(written.verdict.line).toBe(verdict);
    expect(written.rows.some((row) => row.submittedPerS > 0)).toBe(true);
    expect(written.rows.some((row) => row.completedPerS > 0)).toBe(true);
  });

  it('explains its usage on an unknown option, exiting 2 without touching a database', async () => {
    const run = startNodeScript('scripts/dist/soak.js', { DATABASE_URL: 'postgres://nobody@127.0.0.1:1/none' }, ['--speed', 'max']);
    expect(await run.exited).toBe(2);
    expect(run.output()).toContain('unknown option --speed');
    expect(run.output()).toContain('usage: npm run soak --');
  });
});
