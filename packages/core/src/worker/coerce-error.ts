/**
 * Turns anything a handler may throw or reject with (strings, undefined, plain objects)
 * into an Error, so the failure can always be recorded with a message.
 */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  if (thrown === undefined || thrown === null) return new Error(`handler threw ${String(thrown)}`);
  let described: string | undefined;
  try {
    described = JSON.stringify(thrown);
  } catch {
    // Circular or BigInt-holding values: fall back to String() below.
  }
  return new Error(`handler threw a non-Error value: ${described ?? String(thrown)}`);
}
