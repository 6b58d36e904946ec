import { describe, expect, it } from 'vitest';
import { describeJsonError, lineAndColumn, parseJsonInput } from './parse-json-input';

describe('parseJsonInput', () => {
  it('parses valid JSON of any kind', () => {
    expect(parseJsonInput('{"to": "a@b.c", "n": [1, 2]}')).toEqual({ ok: true, value: { to: 'a@b.c', n: [1, 2] }, empty: false });
    expect(parseJsonInput(' 42 ')).toEqual({ ok: true, value: 42, empty: false });
    expect(parseJsonInput('null')).toEqual({ ok: true, value: null, empty: false });
  });

  it('reports blank text as empty rather than as an error', () => {
    expect(parseJsonInput('  \n ')).toEqual({ ok: true, value: undefined, empty: true });
  });

  it('points at the line and column of a mistake', () => {
    const result = parseJsonInput('{\n  "a": 1\n  "b": 2\n}');
    expect(result).toMatchObject({ ok: false, line: 3, column: 3 });
    if (result.ok) throw new Error('expected a parse error');
    expect(result.message).not.toMatch(/position/);
    expect(describeJsonError(result)).toMatch(/ \(line 3, column 3\)$/);
  });

  it('points at the end of text that stops early', () => {
    expect(parseJsonInput('{"a": ')).toMatchObject({ ok: false, line: 1, column: 7 });
  });

  it('still explains a mistake whose place the engine does not name', () => {
    const result = parseJsonInput('nope');
    expect(result.ok).toBe(false);
    if (result.ok) throw new Error('expected a parse error');
    expect(describeJsonError(result)).toMatch(/\S/);
  });
});

describe('lineAndColumn', () => {
  it('counts lines and columns from 1', () => {
    expect(lineAndColumn('ab\ncd', 0)).toEqual({ line: 1, column: 1 });
    expect(lineAndColumn('ab\ncd', 4)).toEqual({ line: 2, column: 2 });
  });
});
