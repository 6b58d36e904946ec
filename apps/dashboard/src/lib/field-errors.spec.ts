import { describe, expect, it } from 'vitest';
import { splitFieldErrors } from './field-errors';

const FIELDS = ['task_name', 'payload', 'max_retries'] as const;

describe('splitFieldErrors', () => {
  it('puts each problem beside the field it names', () => {
    expect(splitFieldErrors('max_retries must be an integer; task_name must not be empty', FIELDS)).toEqual({
      byField: { max_retries: 'must be an integer', task_name: 'must not be empty' },
      other: [],
    });
  });

  it('joins two problems of one field and keeps problems of unknown fields apart', () => {
    expect(splitFieldErrors('payload is too deep; payload has U+0000; colour is not a known field', FIELDS)).toEqual({
      byField: { payload: 'is too deep; has U+0000' },
      other: ['colour is not a known field'],
    });
  });

  it('keeps a message that is not a field list whole', () => {
    expect(splitFieldErrors('Service Unavailable', FIELDS)).toEqual({ byField: {}, other: ['Service Unavailable'] });
  });
});
