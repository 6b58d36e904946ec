import { describe, expect, it } from 'vitest';
import { ProgressBar } from './progress-bar.js';

function stream(isTTY: boolean) {
  const writes: string[] = [];
  return { writes, stream: { isTTY, columns: 80, write: (text: string) => writes.push(text) } };
}

describe('ProgressBar', () => {
  it('on a terminal, redraws one line in place, at most every redrawMs, and ends it on finish', () => {
    let now = 0;
    const { writes, stream: tty } = stream(true);
    const bar = new ProgressBar({ stream: tty, label: 'submitting', total: 200, redrawMs: 100, now: () => now });
    bar.update(0);
    now = 50;
    bar.update(50); // too soon: not drawn
    now = 1_000;
    bar.update(100);
    now = 2_000;
    bar.finish();
    expect(writes).toHaveLength(4);
    expect(writes.slice(0, 3).every((write) => write.startsWith('\r\x1b[Ksubmitting ['))).toBe(true);
    expect(writes[1]).toContain('100/200  50%  100/s  eta 1.0 s');
    expect(writes[2]).toContain('100/200  50%  50/s  eta 2.0 s');
    expect(writes[3]).toBe('\n');
    expect(writes[1]!.length - '\r\x1b[K'.length).toBeLessThanOrEqual(80);
  });

  it('on finish right after drawing the same text, only ends the line', () => {
    const { writes, stream: tty } = stream(true);
    const bar = new ProgressBar({ stream: tty, label: 'x', total: 1, now: () => 0 });
    bar.update(1);
    bar.finish();
    expect(writes).toEqual([expect.stringContaining('1/1 100%'), '\n']);
  });

  it('off a terminal, writes an occasional plain line and a last one, never escape codes', () => {
    let now = 0;
    const { writes, stream: pipe } = stream(false);
    const bar = new ProgressBar({ stream: pipe, label: 'waiting', total: 10, plainEveryMs: 5_000, now: () => now });
    bar.update(0);
    for (let done = 1; done <= 10; done++) {
      now += 1_000;
      bar.update(done, done > 8 ? '1 not completed' : '');
    }
    bar.finish();
    expect(writes).toEqual(['waiting 0/10 (0%)\n', 'waiting 5/10 (50%)\n', 'waiting 10/10 (100%) 1 not completed\n']);
  });

  it('clears its line so other text can use the terminal, and draws again on the next update', () => {
    const { writes, stream: tty } = stream(true);
    const bar = new ProgressBar({ stream: tty, label: 'x', total: 1 });
    bar.update(0);
    bar.clear();
    bar.update(1);
    expect(writes[1]).toBe('\r\x1b[K');
    expect(writes[2]).toMatch(/^\r\x1b\[Kx \[/);
  });
});
