interface Pending<Item, Result> {
  item: Item;
  resolve(result: Result): void;
  reject(error: unknown): void;
}

/**
 * Groups writes that arrive while an earlier write is in flight into one statement. Nothing
 * waits on a timer: the first item is written at once, and whatever queues up meanwhile goes
 * out together as soon as that write returns. Under load a batch grows to what arrived during
 * one round-trip; when idle, each item goes alone with no added latency.
 */
export class BatchWriter<Item, Result> {
  private queue: Array<Pending<Item, Result>> = [];
  private flushing: Promise<void> | undefined;

  constructor(
    /** Writes a batch and returns one result per item, in order. */
    private readonly write: (items: Item[]) => Promise<Result[]>,
    private readonly maxBatch = 500,
  ) {}

  add(item: Item): Promise<Result> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.flushing ??= this.flush().finally(() => (this.flushing = undefined));
    });
  }

  /** Resolves once everything queued so far has been written (or failed). */
  async drain(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const results = await this.write(batch.map((pending) => pending.item));
        batch.forEach((pending, index) => pending.resolve(results[index]!));
      } catch (error) {
        for (const pending of batch) pending.reject(error);
      }
    }
  }
}
