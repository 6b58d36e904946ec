/** Weight of the newest sample in the running averages. */
const SMOOTHING = 0.2;

/**
 * How many tasks to claim ahead of the free slots. Buffering pays only when tasks are short:
 * then slots empty faster than a claim round-trip, and a buffer keeps them busy (drain A with
 * no-op tasks: claims of ~100 instead of ~10, a quarter of the statements). For long tasks a
 * buffer only hoards work that an idle worker elsewhere could start, so it shrinks to nothing.
 *
 * The size is what the slots consume during two claim round-trips,
 * concurrency × 2 × claimMs / handlerMs, capped at `max`; 0 until a handler has finished.
 */
export class PrefetchSizer {
  private handlerMs: number | undefined;
  private claimMs = 1;

  constructor(
    private readonly concurrency: number,
    private readonly max: number,
  ) {}

  get size(): number {
    if (this.handlerMs === undefined || this.max === 0) return 0;
    const wanted = Math.floor((this.concurrency * 2 * this.claimMs) / Math.max(this.handlerMs, 0.001));
    return Math.min(this.max, wanted);
  }

  handlerTook(ms: number): void {
    this.handlerMs = this.handlerMs === undefined ? ms : this.handlerMs + SMOOTHING * (ms - this.handlerMs);
  }

  claimTook(ms: number): void {
    this.claimMs += SMOOTHING * (ms - this.claimMs);
  }
}
