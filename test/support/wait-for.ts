export interface WaitOptions {
  /** Give up after this long (default 10 s: generous, so a loaded machine does not flake). */
  timeoutMs?: number;
  intervalMs?: number;
}

/**
 * Polls `check` until it returns something other than undefined, null or false, and returns
 * that. A check that throws (a service still starting, say) counts as not yet. Fails after
 * `timeoutMs` naming `description` and the last value or error seen.
 */
export async function waitFor<T>(
  description: string,
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 20 }: WaitOptions = {},
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      last = await check();
      if (last !== undefined && last !== null && last !== false) return last as Exclude<T, undefined | null | false>;
    } catch (error) {
      last = error instanceof Error ? `${error.name}: ${error.message}` : error;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description} (last seen: ${JSON.stringify(last)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
