import { describe, expect, it } from 'vitest';
import { PrefetchSizer } from './prefetch-sizer.js';

describe('PrefetchSizer', () => {
  it('buffers nothing until a handler has finished', () => {
    expect(new PrefetchSizer(10, 100).size).toBe(0);
  });

  it('buffers what the slots consume in two claim round-trips, up to the cap', () => {
    const sizer = new PrefetchSizer(10, 100);
    for (let i = 0; i < 50; i += 1) {
      sizer.claimTook(2);
      sizer.handlerTook(10);
    }
    // 10 slots × 2 round-trips × 2 ms ÷ 10 ms per task = 4 tasks (the averages approach 2 and 10 from below).
    expect(sizer.size).toBeGreaterThanOrEqual(3);
    expect(sizer.size).toBeLessThanOrEqual(4);
    for (let i = 0; i < 50; i += 1) sizer.handlerTook(0.01);
    expect(sizer.size).toBe(100);
  });

  it('buffers nothing for slow handlers, so it never hoards work', () => {
    const sizer = new PrefetchSizer(10, 100);
    for (let i = 0; i < 50; i += 1) {
      sizer.claimTook(2);
      sizer.handlerTook(5_000);
    }
    expect(sizer.size).toBe(0);
  });

  it('buffers nothing when the cap is 0', () => {
    const sizer = new PrefetchSizer(10, 0);
    sizer.handlerTook(0.01);
    expect(sizer.size).toBe(0);
  });
});
