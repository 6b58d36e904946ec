/**
 * Turns anything a handler may throw or reject with (strings, undefined, plain objects)
 * into an Error, so the failure can always be recorded with a message.
 */
export function coerceError(thrown: unknown): Error {
  if (thrown instanceof Error) return thrown;
  if (typeof thrown === 'string') return new Error(thrown);
  if (thrown === undefined || thrown === null) return new Error(`handler threw ${String(thrown)}`);
  return new Error(`handler threw a non-Error value: ${describeValue(thrown)}`);
}

/** Every step can throw for hostile values (circular, prototype-less, throwing toString). */
function describeValue(value: unknown): string {
  try {
    const json = JSON.stringify(value);
    if (json !== undefined) return json;
  } catch {
    // Circular or BigInt-holding: try String() next.
  }
  try {
    return String(value);
  } catch {
    return Object.prototype.toString.call(value);
  }
}
