/** `22.12.0` → [22, 12, 0]; missing parts are 0. */
function parts(version: string): [number, number, number] {
  const [major = 0, minor = 0, patch = 0] = version.split('.').map(Number);
  return [major, minor, patch];
}

function compare(a: string, b: string): number {
  const [x, y] = [parts(a), parts(b)];
  for (let index = 0; index < 3; index += 1) if (x[index] !== y[index]) return x[index]! - y[index]!;
  return 0;
}

/** One comparator of an `engines.node` range. */
function satisfiesComparator(version: string, comparator: string): boolean {
  const match = /^(>=|>|<=|<|\^|~|=)?\s*v?(\d+(?:\.\d+){0,2})(?:\.x)?$/.exec(comparator.trim());
  if (!match) throw new Error(`unsupported engines.node comparator "${comparator}": extend node-range.ts`);
  const [operator = '=', bound] = [match[1], match[2]!];
  const order = compare(version, bound);
  const [major, minor] = parts(bound);
  switch (operator) {
    case '>=':
      return order >= 0;
    case '>':
      return order > 0;
    case '<=':
      return order <= 0;
    case '<':
      return order < 0;
    case '^':
      return order >= 0 && parts(version)[0] === major;
    case '~':
      return order >= 0 && parts(version)[0] === major && parts(version)[1] === minor;
    default:
      // A bare `20` or `20.1` means any version starting so.
      return bound.split('.').every((part, index) => parts(version)[index] === Number(part));
  }
}

/**
 * Whether a Node version meets an `engines.node` range of the forms npm packages use:
 * alternatives joined by `||`, each a space-separated list of comparators (`>=20`, `^18.19.0`,
 * `20`, `>= 14.6`). Anything else throws, so a new form is noticed rather than misread.
 */
export function satisfiesNodeRange(version: string, range: string): boolean {
  if (range.trim() === '*' || range.trim() === '') return true;
  return range.split('||').some((alternative) =>
    alternative
      .trim()
      .replace(/(>=|<=|>|<|=|\^|~)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => satisfiesComparator(version, comparator)),
  );
}
