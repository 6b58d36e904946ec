import type { SoakRow } from './series.js';

/** What the verdict reads of each row. */
export type VerdictRow = Pick<SoakRow, 't' | 'submittedPerS' | 'errors' | 'tableBytes' | 'indexBytes' | 'deadTuples' | 'pickupP99Ms'>;

export interface VerdictSettings {
  /** Length of the run (submission), seconds. */
  durationSeconds: number;
  /** The warm-up asked for; the verdict uses max(this, WARMUP_SHARE of the run). */
  warmupSeconds: number;
  /** Tasks per second asked for. */
  targetRate: number;
  /** The server's autovacuum switch; when off the line says so, since it explains any growth. */
  autovacuumEnabled?: boolean;
}

const MiB = 1024 * 1024;

/**
 * The criteria. Each compares the mean of the last third of the samples after the warm-up with
 * the mean of the middle third (the first third is left out: still settling). A quantity is
 * bounded when the last third stays within `factor × middle + slack`: the factor allows the
 * noise of a steady state, the slack keeps tiny absolute figures (a table of a few pages, a
 * p99 of 3 ms) from failing on a relative jump that means nothing. For a 10-minute run (2-minute
 * warm-up) the thirds are 160 s apart, and a quantity growing in a straight line from zero
 * comes out 1.44 times higher in the last third than in the middle one.
 * - table and index size: once retention deletes as fast as tasks arrive and vacuum makes the
 *   space reusable, they stop growing (the heap hardly ever shrinks), so anything beyond 5 %
 *   plus 1 MiB is a trend. On a 40 MB table that catches growth faster than about 1.3 MB a
 *   minute; slower growth needs a longer soak to show.
 * - dead tuples: a saw-tooth between autovacuum runs (about one per autovacuum_naptime). A third
 *   spans about 2.7 teeth, so its mean moves by up to ~18 % with the phase alone: 25 %.
 * - pickup p99: flat means no worse than twice the middle third plus 50 ms.
 */
export const CRITERIA = {
  warmupShare: 0.2,
  tableBytes: { factor: 1.05, slack: MiB },
  indexBytes: { factor: 1.05, slack: MiB },
  deadTuples: { factor: 1.25, slack: 10_000 },
  pickupP99Ms: { factor: 2, slack: 50 },
  /** The submitter must have stored this share of the rate asked for, without errors, for the run to count. */
  rateShare: 0.95,
  minSamples: 3,
} as const;

export type VerdictStatus = 'steady' | 'NOT steady' | 'inconclusive';

export interface Check {
  name: 'table' | 'indexes' | 'dead tuples' | 'pickup p99';
  middle: number;
  last: number;
  limit: number;
  ok: boolean;
}

export interface Verdict {
  status: VerdictStatus;
  /** The warm-up actually left out, seconds. */
  warmupSeconds: number;
  checks: Check[];
  /** Mean tasks/s stored after the warm-up, and the tasks refused or lost then. */
  sustainedRate: number | null;
  errors: number;
  /** One line: `verdict: <status> — <why>`. */
  line: string;
}

/** Steady, not steady, or inconclusive (too few samples, or the rate asked for was not sustained). */
export function judgeSeries(rows: readonly VerdictRow[], settings: VerdictSettings): Verdict {
  const warmupSeconds = Math.max(settings.warmupSeconds, CRITERIA.warmupShare * settings.durationSeconds);
  const window = rows.filter((row) => row.t > warmupSeconds);
  const base = { warmupSeconds, checks: [], sustainedRate: null, errors: 0 };
  if (window.length < CRITERIA.minSamples) {
    const why = `${window.length} sample(s) after the ${fmt(warmupSeconds)} s warm-up; at least ${CRITERIA.minSamples} are needed`;
    return { ...base, status: 'inconclusive', line: `verdict: inconclusive — ${why}` };
  }
  const middle = window.slice(Math.floor(window.length / 3), Math.floor((2 * window.length) / 3));
  const last = window.slice(Math.floor((2 * window.length) / 3));
  const checks: Check[] = [
    compare('table', middle, last, (row) => row.tableBytes, CRITERIA.tableBytes),
    compare('indexes', middle, last, (row) => row.indexBytes, CRITERIA.indexBytes),
    compare('dead tuples', middle, last, (row) => row.deadTuples, CRITERIA.deadTuples),
  ];
  const p99 = compare('pickup p99', middle, last, (row) => row.pickupP99Ms, CRITERIA.pickupP99Ms);
  if (Number.isFinite(p99.middle) && Number.isFinite(p99.last)) checks.push(p99);

  const sustainedRate = mean(window.map((row) => row.submittedPerS));
  const errors = window.reduce((sum, row) => sum + row.errors, 0);
  const rateKept = sustainedRate >= CRITERIA.rateShare * settings.targetRate && errors === 0;

  const failed = checks.filter((check) => !check.ok);
  const status: VerdictStatus = failed.length > 0 ? 'NOT steady' : !rateKept || !checks.includes(p99) ? 'inconclusive' : 'steady';
  const span = (part: readonly VerdictRow[]) =>
    part.length === 1 ? `t ${fmt(part[0]!.t)} s` : `t ${fmt(part[0]!.t)}–${fmt(part.at(-1)!.t)} s`;
  const reasons = [
    ...(rateKept
      ? []
      : [
          `the submitter stored ${fmt(sustainedRate)}/s of the ${fmt(settings.targetRate)}/s asked${errors > 0 ? ` and ${errors} task(s) were refused or lost` : ''}`,
        ]),
    ...(checks.includes(p99) ? [] : ['no attempt started in the middle or last third, so pickup latency is unknown']),
  ];
  const figures = [...failed, ...checks.filter((check) => check.ok)].map(describe).join('; ');
  const line =
    `verdict: ${status} — ${reasons.length > 0 ? `${reasons.join('; ')}; ` : ''}` +
    `last third (${span(last)}) vs middle third (${span(middle)}) after a ${fmt(warmupSeconds)} s warm-up: ${figures}` +
    (rateKept ? `; submitted ${fmt(sustainedRate)}/s of ${fmt(settings.targetRate)}/s` : '') +
    (settings.autovacuumEnabled === false ? '; autovacuum is off on this server, so only a manual VACUUM reclaims dead tuples' : '');
  return { status, warmupSeconds, checks, sustainedRate, errors, line };
}

/** The exit code of `npm run soak`: 0 only for a steady verdict. */
export function exitCodeOf(verdict: Verdict): number {
  return verdict.status === 'steady' ? 0 : 1;
}

function compare(
  name: Check['name'],
  middle: readonly VerdictRow[],
  last: readonly VerdictRow[],
  value: (row: VerdictRow) => number | null,
  bound: { factor: number; slack: number },
): Check {
  const meanOf = (rows: readonly VerdictRow[]) => mean(rows.map(value).filter((v): v is number => v !== null));
  const m = meanOf(middle);
  const l = meanOf(last);
  const limit = bound.factor * m + bound.slack;
  return { name, middle: m, last: l, limit, ok: l <= limit };
}

function describe(check: Check): string {
  const unit = check.name === 'pickup p99' ? ' ms' : check.name === 'dead tuples' ? '' : ' MB';
  const scale = unit === ' MB' ? MiB : 1;
  const value = (n: number) => fmt(n / scale);
  const change =
    check.middle > 0
      ? `${check.last >= check.middle ? '+' : '-'}${fmt((Math.abs(check.last - check.middle) / check.middle) * 100)}%, `
      : '';
  return `${check.name} ${value(check.middle)} → ${value(check.last)}${unit} (${change}limit ${value(check.limit)}${unit}${check.ok ? '' : ', OVER'})`;
}

function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, v) => sum + v, 0) / values.length;
}

/** Three significant digits at most, no exponent: 0.42, 4.2, 42, 420, 4200. */
function fmt(n: number): string {
  if (!Number.isFinite(n)) return '?';
  const abs = Math.abs(n);
  return abs >= 100 ? String(Math.round(n)) : abs >= 10 ? n.toFixed(1).replace(/\.0$/, '') : n.toFixed(2).replace(/\.?0+$/, '') || '0';
}
