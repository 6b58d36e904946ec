import { describe, expect, it } from 'vitest';
import { satisfiesNodeRange } from '../support/deploy/node-range.js';

describe('satisfiesNodeRange (engines.node of the lockfile)', () => {
  it.each([
    ['24.0.0', '>=22', true],
    ['20.19.0', '>=22', false],
    ['24.0.0', '^20.19.0 || >=22.12.0', true],
    ['22.11.0', '^20.19.0 || >=22.12.0', false],
    ['20.20.2', '^20.19.0 || >=22.12.0', true],
    ['24.0.0', '18 || 20 || >=22', true],
    ['21.0.0', '18 || 20 || >=22', false],
    ['24.0.0', '^16 || ^18 || >=20', true],
    ['24.0.0', '>= 14.6', true],
    ['24.0.0', '>=12 <24', false],
    ['24.0.0', '~24.1', false],
  ])('%s meets "%s": %s', (version, range, expected) => {
    expect(satisfiesNodeRange(version, range)).toBe(expected);
  });

  it('refuses a form it cannot read instead of guessing', () => {
    expect(() => satisfiesNodeRange('24.0.0', '>=20.x-beta')).toThrow(/unsupported engines.node comparator/);
  });
});
