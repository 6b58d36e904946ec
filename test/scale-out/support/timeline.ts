/**
 * Moments of a scenario, printed relative to its start (the cut) so the measured timings can
 * be quoted. Times are epoch milliseconds: the test, the hosts' logs and PostgreSQL share one clock.
 */
export class Timeline {
  private readonly events: Array<{ what: string; at: number }> = [];

  constructor(
    private readonly title: string,
    readonly startedAt: number,
  ) {}

  mark(what: string, at: number | Date): void {
    this.events.push({ what, at: typeof at === 'number' ? at : at.getTime() });
  }

  /** Milliseconds from the start to `what` (the first mark of that name). */
  offsetOf(what: string): number {
    const event = this.events.find((candidate) => candidate.what === what);
    if (!event) throw new Error(`no "${what}" in the ${this.title} timeline`);
    return event.at - this.startedAt;
  }

  print(): void {
    const lines = [...this.events]
      .sort((a, b) => a.at - b.at)
      .map((event) => `  T${formatOffset(event.at - this.startedAt).padStart(9)}  ${event.what}`);
    console.log(`${this.title} (T = ${new Date(this.startedAt).toISOString()}):\n${lines.join('\n')}`);
  }
}

function formatOffset(ms: number): string {
  return `${ms < 0 ? '-' : '+'}${(Math.abs(ms) / 1_000).toFixed(2)} s`;
}
