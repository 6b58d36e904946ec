import { describe, expect, it } from 'vitest';
import { fetchFailureReason } from './fetch-failure-reason.js';

describe('fetchFailureReason', () => {
  it("names fetch's cause, not its bare 'fetch failed'", () => {
    const error = new TypeError('fetch failed', { cause: new Error('connect ECONNREFUSED 127.0.0.1:3000') });
    expect(fetchFailureReason(error)).toBe('connect ECONNREFUSED 127.0.0.1:3000');
  });

  it('lists every address tried when the cause is an AggregateError without a message of its own', () => {
    const tried = new AggregateError([new Error('connect ECONNREFUSED ::1:3000'), new Error('connect ECONNREFUSED 127.0.0.1:3000')], '');
    expect(fetchFailureReason(new TypeError('fetch failed', { cause: tried }))).toBe(
      'connect ECONNREFUSED ::1:3000; connect ECONNREFUSED 127.0.0.1:3000',
    );
  });

  it('uses the error itself when it has no cause, and never prints [object Object]', () => {
    expect(fetchFailureReason(new Error('bad port'))).toBe('bad port');
    expect(fetchFailureReason(new TypeError('fetch failed', { cause: { code: 'E_ODD' } }))).toBe('{"code":"E_ODD"}');
    expect(fetchFailureReason('a string')).toBe('a string');
  });
});
