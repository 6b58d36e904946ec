/**
 * Turns "tasks were added, the earliest due at T" hints into one wake-up at the right moment:
 * at once for a task due now, else a timer for the earliest announced time (a later one never
 * pushes an earlier alarm back).
 */
export class DueAlarm {
  /** Earliest due time (ms since epoch) announced for a task not yet due, if any. */
  private nextDueAt: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly dueNow: () => void) {}

  announced(dueAt: number): void {
    if (this.stopped) return;
    const wait = dueAt - Date.now();
    if (wait <= 0) {
      this.dueNow();
      return;
    }
    if (this.nextDueAt !== undefined && this.nextDueAt <= dueAt) return;
    this.nextDueAt = dueAt;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.nextDueAt = undefined;
      this.announced(Date.now());
    }, wait);
  }

  /** No wake-up after this, and no timer left to keep the process alive. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }
}
