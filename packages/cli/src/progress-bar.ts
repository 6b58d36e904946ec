import { formatDuration } from './duration.js';
import type { TextStream } from './output.js';

export interface ProgressBarOptions {
  /** Where to draw: stderr, so stdout (and --json) is never touched. */
  stream: TextStream;
  /** What is being counted: `submitting`, `waiting`. */
  label: string;
  total: number;
  /** Shortest gap between two redraws on a terminal. */
  redrawMs?: number;
  /** Shortest gap between two plain lines when the stream is not a terminal; Infinity for none. */
  plainEveryMs?: number;
  now?: () => number;
}

const CLEAR_LINE = '\r\x1b[K';

/**
 * One line redrawn in place (`\r`, erase line) when the stream is a terminal. Otherwise it
 * draws nothing but a plain line now and then (`label 300/1000 (30%)`), and a last one on
 * `finish`, so logs of non-interactive runs still show it moving. Hand-written: it needs no
 * more than this.
 */
export class ProgressBar {
  private done = 0;
  private detail = '';
  private lastDraw = -Infinity;
  private drawn = false;
  private finished = false;
  private lastPlain = '';
  private lastText = '';
  private readonly startedAt: number;
  private readonly now: () => number;
  private readonly tty: boolean;

  constructor(private readonly options: ProgressBarOptions) {
    this.now = options.now ?? Date.now;
    this.startedAt = this.now();
    this.tty = options.stream.isTTY === true;
  }

  /** Sets how many are done (and a short note, such as `3 failed`), redrawing when due. */
  update(done: number, detail = this.detail): void {
    this.done = done;
    this.detail = detail;
    const gap = this.tty ? (this.options.redrawMs ?? 80) : (this.options.plainEveryMs ?? 5_000);
    if (this.now() - this.lastDraw >= gap) this.draw();
  }

  /** Removes the bar's line so other text can be written to the same terminal; the next update draws it again. */
  clear(): void {
    if (this.tty && this.drawn) this.options.stream.write(CLEAR_LINE);
    this.drawn = false;
    this.lastDraw = -Infinity;
  }

  /** Draws the final state and ends the line. */
  finish(detail = this.detail): void {
    if (this.finished) return;
    this.detail = detail;
    this.draw();
    if (this.tty) this.options.stream.write('\n');
    this.finished = true;
  }

  /** The text of the bar's line for a terminal this wide, without escape codes. */
  render(columns = this.options.stream.columns || 80): string {
    const { total, label } = this.options;
    const fraction = total === 0 ? 1 : Math.min(1, this.done / total);
    const elapsed = this.now() - this.startedAt;
    const rate = elapsed > 0 ? (this.done * 1_000) / elapsed : 0;
    const remaining = rate > 0 && this.done < total ? formatDuration(((total - this.done) / rate) * 1_000) : '';
    const counts = `${this.done}/${total} ${String(Math.floor(fraction * 100)).padStart(3)}%`;
    const tail = [counts, rate > 0 ? `${formatRate(rate)}/s` : '', remaining && `eta ${remaining}`, this.detail].filter(Boolean).join('  ');
    const width = Math.max(10, Math.min(40, columns - label.length - tail.length - 6));
    const filled = Math.round(fraction * width);
    return `${label} [${'█'.repeat(filled)}${'░'.repeat(width - filled)}] ${tail}`;
  }

  private draw(): void {
    if (this.finished) return;
    this.lastDraw = this.now();
    if (this.tty) {
      const text = this.render();
      // finish() after an update that drew the same counts: nothing new to show.
      if (this.drawn && text === this.lastText) return;
      this.options.stream.write(`${CLEAR_LINE}${text}`);
      this.lastText = text;
      this.drawn = true;
    } else if ((this.options.plainEveryMs ?? 5_000) !== Infinity) {
      const { total, label } = this.options;
      const percent = total === 0 ? 100 : Math.floor((this.done / total) * 100);
      const line = `${label} ${this.done}/${total} (${percent}%)${this.detail ? ` ${this.detail}` : ''}\n`;
      if (line !== this.lastPlain) this.options.stream.write(line);
      this.lastPlain = line;
    }
  }
}

function formatRate(perSecond: number): string {
  return perSecond >= 1_000 ? `${(perSecond / 1_000).toFixed(1)}k` : perSecond >= 10 ? String(Math.round(perSecond)) : perSecond.toFixed(1);
}
