/** A sleep that another part of the worker can cut short ("a slot is free", "stop now"). */
export class WakeSignal {
  private wakeCurrent: (() => void) | undefined;

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const wakeCurrent = () => done();
      this.wakeCurrent = wakeCurrent;
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }

  wake(): void {
    const wakeCurrent = this.wakeCurrent;
    this.wakeCurrent = undefined;
    wakeCurrent?.();
  }
}
