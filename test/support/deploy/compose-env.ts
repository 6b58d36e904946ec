/**
 * Compose's variable interpolation for the forms we use: `${NAME}`, `${NAME:-default}` (default
 * when unset or empty), `${NAME-default}` (default when unset) and `$$` for a literal `$`.
 * Any other form throws, so the tests never validate a value Compose would read differently.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(/\$\$|\$\{([^}]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    if (whole === '$$') return '$';
    if (bare !== undefined) return env[bare] ?? '';
    const match = /^([A-Za-z_][A-Za-z0-9_]*)(?:(:?-)(.*))?$/.exec(braced!);
    if (!match) throw new Error(`unsupported interpolation ${whole}`);
    const [, name, operator, fallback] = match;
    const current = env[name!];
    if (operator === ':-') return current === undefined || current === '' ? fallback! : current;
    if (operator === '-') return current === undefined ? fallback! : current;
    return current ?? '';
  });
}

/** A Compose duration (`45s`, `1m30s`, `500ms`) in milliseconds. */
export function composeDurationMs(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1_000, ms: 1, us: 0.001 };
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|m|s)/g)];
  if (parts.map((part) => part[0]).join('') !== text) throw new Error(`not a Compose duration: ${text}`);
  return parts.reduce((total, part) => total + Number(part[1]) * units[part[2]!]!, 0);
}
