import { setTimeout as sleep } from 'node:timers/promises';
import { ApiError, type TaskforgeClient } from '@taskforge/client';
import { apiClient } from '../bench/http.js';

export interface SubmitterOptions {
  /** The API's base URL. */
  baseUrl: string;
  /** Tasks per second. */
  rate: number;
  /** One batch per tick. */
  tickMs: number;
  /** Share (0–100) of `fail` tasks. */
  failPercent: number;
  /** Requests that may be in flight at once; a tick that finds this many still running is skipped. */
  maxInFlight?: number;
}

/** What the submitter did since the previous take(). */
export interface SubmitterCounts {
  /** Tasks the API stored (201). */
  accepted: number;
  /** Tasks the schedule called for but that were never sent: their tick found the submitter behind. */
  skipped: number;
  /** Tasks in batches the API refused or that failed in transit. */
  errors: number;
  /** The last such failure, for the report. */
  lastError: string | undefined;
}

/**
 * `fail` tasks always throw and get two retries, so besides noop's insert → claim → complete →
 * delete the table also sees retry updates and failures for good. Retries wait
 * RETRY_BASE_DELAY_MS with backoff, so they keep some queued rows that are not yet due.
 */
const FAIL_TASK = { task_name: 'fail', payload: { message: 'soak' }, max_retries: 2 };
const NOOP_TASK = { task_name: 'noop' };

/** `answered 503: database unavailable…` for a refusal, `failed: …` when no answer came. */
function describeFailure(error: unknown): string {
  if (error instanceof ApiError) return `answered ${error.status}: ${error.message}`;
  return `failed: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Submits at a steady rate through POST /tasks/batch: tick k (at start + k × tickMs) carries
 * the tasks due in its slice of time, so fractional rates come out right over time. The
 * schedule is kept, never caught up: a tick that comes while `maxInFlight` batches are still
 * unanswered, or that the event loop reached only after the next tick's time, is skipped and
 * counted. A burst to catch up would test a different load from the one asked for, and the
 * report could not tell them apart.
 */
export class SteadySubmitter {
  private readonly maxInFlight: number;
  private readonly client: TaskforgeClient;
  private inFlight = new Set<Promise<void>>();
  private counts: SubmitterCounts = { accepted: 0, skipped: 0, errors: 0, lastError: undefined };
  private running: Promise<void> | undefined;
  private stopping = false;
  /** Tasks so far, across ticks: which of them are `fail` tasks depends only on this. */
  private taskNumber = 0;

  constructor(private readonly options: SubmitterOptions) {
    this.maxInFlight = options.maxInFlight ?? 4;
    this.client = apiClient(options.baseUrl);
  }

  start(): void {
    this.running ??= this.run();
  }

  /** Stops ticking and waits for the batches in flight. */
  async stop(): Promise<void> {
    this.stopping = true;
    await this.running;
    await Promise.all(this.inFlight);
  }

  /** The counts since the previous call. */
  take(): SubmitterCounts {
    const counts = this.counts;
    this.counts = { accepted: 0, skipped: 0, errors: 0, lastError: undefined };
    return counts;
  }

  private async run(): Promise<void> {
    const { tickMs, rate } = this.options;
    const begin = performance.now();
    const dueBy = (tick: number) => Math.floor((rate * tick * tickMs) / 1_000);
    for (let tick = 0; !this.stopping;) {
      // The tick whose time came last; any between the previous one and it got no turn.
      const current = Math.max(tick, Math.floor((performance.now() - begin) / tickMs));
      this.counts.skipped += dueBy(current) - dueBy(tick);
      const size = dueBy(current + 1) - dueBy(current);
      if (this.inFlight.size >= this.maxInFlight) this.counts.skipped += size;
      else if (size > 0) this.send(size);
      tick = current + 1;
      await sleep(begin + tick * tickMs - performance.now());
    }
  }

  private send(size: number): void {
    const tasks = Array.from({ length: size }, () => (this.isFailTask(++this.taskNumber) ? FAIL_TASK : NOOP_TASK));
    const request = this.client.submitMany(tasks).then(
      (created) => {
        if (created.length === size) this.counts.accepted += size;
        else this.failed(size, `POST /tasks/batch returned ${created.length} ids for ${size} tasks`);
      },
      (error: unknown) => this.failed(size, `POST /tasks/batch ${describeFailure(error)}`),
    );
    const tracked = request.finally(() => this.inFlight.delete(tracked));
    this.inFlight.add(tracked);
  }

  /** Evenly spread rather than random, so every run submits the same mix: 5 % is every 20th task. */
  private isFailTask(n: number): boolean {
    const { failPercent } = this.options;
    return Math.floor((n * failPercent) / 100) > Math.floor(((n - 1) * failPercent) / 100);
  }

  private failed(size: number, message: string): void {
    this.counts.errors += size;
    this.counts.lastError = message;
  }
}
