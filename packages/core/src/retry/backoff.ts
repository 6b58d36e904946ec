export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  /** Fraction of the delay added at most as random jitter. */
  jitterRatio?: number;
  /** Source of randomness in [0, 1); injectable for tests. */
  random?: () => number;
}

export const DEFAULT_JITTER_RATIO = 0.25;

/**
 * Delay before the retry that follows failed attempt number `attempt` (1-based):
 *   exponential = min(maxDelayMs, baseDelayMs · 2^(attempt − 1))
 *   delay       = exponential + random · jitterRatio · exponential
 * so it lies in [exponential, exponential · (1 + jitterRatio)). The jitter spreads out
 * tasks that failed together (say, during an outage) so they do not all retry at once.
 */
export function retryDelayMs(attempt: number, options: BackoffOptions): number {
  const jitterRatio = options.jitterRatio ?? DEFAULT_JITTER_RATIO;
  const random = options.random ?? Math.random;
  // 2^62 ms is past any cap; clamping the exponent keeps 0 · 2^n from becoming 0 · Infinity = NaN.
  const doublings = Math.min(62, Math.max(0, attempt - 1));
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** doublings);
  // Whole milliseconds, strictly below the upper bound even where floating point rounds up.
  const jitterSpan = jitterRatio * exponential;
  const jitter = Math.min(Math.floor(random() * jitterSpan), Math.max(0, Math.ceil(jitterSpan) - 1));
  return exponential + jitter;
}
