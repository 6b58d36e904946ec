import { describe, expect, it } from 'vitest';
import { coerceError } from './coerce-error.js';

describe('coerceError', () => {
  it('returns an Error unchanged (same instance, subclasses included)', () => {
    const error = new TypeError('bad type');
    expect(coerceError(error)).toBe(error);
    class CustomError extends Error {
      override name = 'CustomError';
    }
    const custom = new CustomError('custom');
    expect(coerceError(custom)).toBe(custom);
  });

  it('keeps an Error with an empty message as it is', () => {
    const error = new Error('');
    expect(coerceError(error)).toBe(error);
  });

  it('uses a thrown string as the message', () => {
    const error = coerceError('something broke');
    expect(error).toBeInstanceOf(Error);
    expect(error.message).toBe('something broke');
  });

  it('names undefined and null in the message', () => {
    expect(coerceError(undefined).message).toBe('handler threw undefined');
    expect(coerceError(null).message).toBe('handler threw null');
  });

  it('serialises plain objects, arrays, numbers and booleans as JSON', () => {
    expect(coerceError({ code: 42, reason: 'nope' }).message).toBe('handler threw a non-Error value: {"code":42,"reason":"nope"}');
    expect(coerceError([1, 'two']).message).toBe('handler threw a non-Error value: [1,"two"]');
    expect(coerceError(7).message).toBe('handler threw a non-Error value: 7');
    expect(coerceError(false).message).toBe('handler threw a non-Error value: false');
  });

  it('falls back to String() for values JSON cannot serialise (circular objects, bigints)', () => {
    const circular: Record<string, unknown> = { name: 'loop' };
    circular.self = circular;
    expect(coerceError(circular).message).toBe('handler threw a non-Error value: [object Object]');
    expect(coerceError(10n).message).toBe('handler threw a non-Error value: 10');
  });

  it('always returns an Error with a non-empty message for non-Error values', () => {
    for (const thrown of ['x', undefined, null, {}, [], 0, Symbol('s'), () => 1, 10n]) {
      const error = coerceError(thrown);
      expect(error).toBeInstanceOf(Error);
      expect(error.message.length).toBeGreaterThan(0);
    }
  });

  // JSON.stringify returns undefined (it does not throw) for symbols and functions, so the
  // message says "undefined" rather than describing the value. Harmless, but misleading.
  it('describes a thrown symbol or function with String(), since JSON.stringify has nothing for them', () => {
    expect(coerceError(Symbol('s')).message).toBe('handler threw a non-Error value: Symbol(s)');
    expect(coerceError(function boom() {}).message).toMatch(/^handler threw a non-Error value: function boom\(/);
  });

  it('describes a circular object without a prototype, where JSON.stringify and String() both throw', () => {
    const hostile = Object.create(null) as Record<string, unknown>;
    hostile.self = hostile;
    expect(coerceError(hostile).message).toBe('handler threw a non-Error value: [object Object]');
  });
});
