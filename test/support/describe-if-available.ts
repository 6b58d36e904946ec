import { describe } from 'vitest';

/**
 * `describe` when what the block needs is there (`missing` is null); otherwise the block is
 * skipped, counted as skipped and never failed, and `missing` (why) is printed. For tests that
 * drive a real outside tool (Chromium, network namespaces) a machine may lack.
 */
export function describeIfAvailable(missing: string | null, name: string, body: () => void): void {
  if (missing !== null) console.warn(missing);
  describe.skipIf(missing !== null)(name, { timeout: 120_000 }, body);
}
