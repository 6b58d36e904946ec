import { describe, expect, it } from 'vitest';
import { DEFAULT_JITTER_RATIO, retryDelayMs } from './backoff.js';

const BASE = 1_000;
const MAX = 3_600_000;
/** The largest double below 1: the top of what Math.random() can return. */
const ALMOST_ONE = 1 - Number.EPSILON / 2;

function exponential(attempt: number, base = BASE, max = MAX): number {
  return Math.min(max, base * 2 ** (attempt - 1));
}

describe('retryDelayMs', () => {
  it('uses a 25 % jitter ratio by default', () => {
    expect(DEFAULT_JITTER_RATIO).toBe(0.25);
  });

  it('keeps 1,000 Math.random delays for each of attempts 1..10 within [exponential, 1.25 × exponential)', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const low = exponential(attempt);
      const high = low * 1.25;
      let min = Infinity;
      let max = -Infinity;
      for (let sample = 0; sample < 1_000; sample += 1) {
        const delay = retryDelayMs(attempt, { baseDelayMs: BASE, maxDelayMs: MAX });
        expect(Number.isInteger(delay)).toBe(true);
        min = Math.min(min, delay);
        max = Math.max(max, delay);
      }
      expect(min, `attempt ${attempt}`).toBeGreaterThanOrEqual(low);
      expect(max, `attempt ${attempt}`).toBeLessThan(high);
    }
  });

  it('spreads the jitter over the range rather than always adding the same amount', () => {
    const delays = new Set<number>();
    for (let sample = 0; sample < 1_000; sample += 1) {
      delays.add(retryDelayMs(5, { baseDelayMs: BASE, maxDelayMs: MAX }));
    }
    // 16,000 ms plus up to 4,000 ms of jitter: 1,000 draws land on many different values.
    expect(delays.size).toBeGreaterThan(500);
  });

  it('doubles the delay with each attempt (base · 2^(attempt − 1)) when random() returns 0', () => {
    const random = () => 0;
    const delays = Array.from({ length: 10 }, (_, i) => retryDelayMs(i + 1, { baseDelayMs: BASE, maxDelayMs: MAX, random }));
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 64_000, 128_000, 256_000, 512_000]);
  });

  it('adds almost the full 25 % when random() returns 0.999…, staying within [exponential, 1.25 × exponential]', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const low = exponential(attempt);
      const delay = retryDelayMs(attempt, { baseDelayMs: BASE, maxDelayMs: MAX, random: () => ALMOST_ONE });
      expect(delay).toBeGreaterThan(low);
      expect(delay).toBeLessThan(low * 1.25);
      expect(delay).toBeGreaterThanOrEqual(Math.floor(low * 1.25) - 1);
    }
  });

  // Rounding must not reach the bound: floating point turns 1000 + 0.999… · 250 into exactly 1250.
  it('stays strictly below 1.25 × exponential when random() returns 0.999…', () => {
    for (let attempt = 1; attempt <= 10; attempt += 1) {
      const delay = retryDelayMs(attempt, { baseDelayMs: BASE, maxDelayMs: MAX, random: () => ALMOST_ONE });
      expect(delay).toBeLessThan(exponential(attempt) * 1.25);
    }
  });

  it('uses the injected random() exactly once per call', () => {
    let calls = 0;
    const delay = retryDelayMs(3, {
      baseDelayMs: BASE,
      maxDelayMs: MAX,
      random: () => {
        calls += 1;
        return 0.5;
      },
    });
    expect(calls).toBe(1);
    expect(delay).toBe(4_000 + 0.5 * 0.25 * 4_000);
  });

  it('honours a custom jitter ratio, including 0 for no jitter', () => {
    expect(retryDelayMs(4, { baseDelayMs: 100, maxDelayMs: MAX, jitterRatio: 0, random: () => 0.9 })).toBe(800);
    expect(retryDelayMs(4, { baseDelayMs: 100, maxDelayMs: MAX, jitterRatio: 0.5, random: () => 0.5 })).toBe(1_000);
  });

  it('never lets the exponential part exceed maxDelayMs; jitter adds at most 25 % on top of the cap', () => {
    const options = { baseDelayMs: 1_000, maxDelayMs: 5_000 };
    expect(retryDelayMs(3, { ...options, random: () => 0 })).toBe(4_000);
    for (const attempt of [4, 5, 10, 30, 100]) {
      expect(retryDelayMs(attempt, { ...options, random: () => 0 })).toBe(5_000);
      expect(retryDelayMs(attempt, { ...options, random: () => ALMOST_ONE })).toBeLessThan(6_250);
      for (let sample = 0; sample < 200; sample += 1) {
        const delay = retryDelayMs(attempt, options);
        expect(delay).toBeGreaterThanOrEqual(5_000);
        expect(delay).toBeLessThan(6_250);
      }
    }
  });

  it('returns a finite delay at the cap for huge attempt numbers (no NaN or Infinity)', () => {
    for (const attempt of [1_000, 1_024, 1_025, 1_075, 10_000, 2 ** 31, Number.MAX_SAFE_INTEGER, Infinity]) {
      for (const random of [() => 0, () => 0.5, () => ALMOST_ONE, Math.random]) {
        const delay = retryDelayMs(attempt, { baseDelayMs: BASE, maxDelayMs: MAX, random });
        expect(Number.isFinite(delay), `attempt ${attempt}`).toBe(true);
        expect(delay).toBeGreaterThanOrEqual(MAX);
        expect(delay).toBeLessThan(MAX * 1.25);
      }
    }
  });

  it('treats attempt 0 and negative attempts like attempt 1', () => {
    for (const attempt of [0, -1, -1_000]) {
      expect(retryDelayMs(attempt, { baseDelayMs: BASE, maxDelayMs: MAX, random: () => 0 })).toBe(BASE);
    }
  });

  it('returns 0 for every attempt up to 1,024 when baseDelayMs is 0 (retry immediately)', () => {
    for (const attempt of [1, 2, 10, 100, 1_001, 1_024]) {
      expect(retryDelayMs(attempt, { baseDelayMs: 0, maxDelayMs: MAX, random: () => 0.5 })).toBe(0);
    }
  });

  // 0 · 2^1024 would be 0 · Infinity = NaN, and failTask would then reject the interval.
  it('returns a finite delay for baseDelayMs 0 and attempt ≥ 1025', () => {
    const delay = retryDelayMs(1_025, { baseDelayMs: 0, maxDelayMs: MAX, random: () => 0 });
    expect(Number.isFinite(delay)).toBe(true);
  });
});
