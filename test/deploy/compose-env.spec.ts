import { describe, expect, it } from 'vitest';
import { composeDurationMs, interpolate } from '../support/deploy/compose-env.js';

describe('Compose interpolation and durations (as the compose spec reads them)', () => {
  it('substitutes the forms Compose documents', () => {
    const env = { SET: 'value', EMPTY: '' };
    expect(interpolate('a ${SET} b', env)).toBe('a value b');
    expect(interpolate('${MISSING:-fallback}', env)).toBe('fallback');
    expect(interpolate('${EMPTY:-fallback}', env)).toBe('fallback');
    expect(interpolate('${EMPTY-fallback}', env)).toBe('');
    expect(interpolate('${MISSING-fallback}', env)).toBe('fallback');
    expect(interpolate('${MISSING:-}', env)).toBe('');
    expect(interpolate('$SET and $$SET', env)).toBe('value and $SET');
  });

  it('refuses forms it does not implement', () => {
    expect(() => interpolate('${NAME:?required}', {})).toThrow(/unsupported interpolation/);
  });

  it('reads durations', () => {
    expect(composeDurationMs('45s')).toBe(45_000);
    expect(composeDurationMs('1m30s')).toBe(90_000);
    expect(composeDurationMs('500ms')).toBe(500);
    expect(() => composeDurationMs('45')).toThrow(/not a Compose duration/);
  });
});
