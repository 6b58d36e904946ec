/**
 * A sleep that another part of the worker can cut short ("a slot is free", "stop now").
 * A wake that arrives while nobody sleeps is remembered, so the next sleep returns at once:
 * a stop requested during a claim query must not wait out a whole poll interval.
 */
export class WakeSignal {
  private wakeCurrent: (() => void) | undefined;
  private wokenEarly = false;

  sleep(ms: number): Promise<void> {
    if (this.wokenEarly) {
      this.wokenEarly = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      this.wakeCurrent = done;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  wake(): void {
    const wakeCurrent = this.wakeCurrent;
    this.wakeCurrent = undefined;
    if (wakeCurrent) wakeCurrent();
    else this.wokenEarly = true;
  }
}
