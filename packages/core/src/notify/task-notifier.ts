import type { Queryable } from '../db/queryable.js';
import { TASKS_CHANNEL } from './channel.js';

/**
 * Tells idle workers that tasks were added, throttled: at most one NOTIFY per `windowMs`.
 * The first call in a quiet period notifies at once (no added pickup latency); calls during
 * the window are folded into one trailing notification at its end, carrying the earliest due
 * time seen. The payload is "due in N ms", relative, so hosts with skewed clocks agree. Throttling matters because every NOTIFY takes a database-wide lock at commit;
 * one per submission would serialise busy producers on it.
 *
 * Notifications are hints: a worker that misses one still finds the task at its next poll.
 */
export class TaskNotifier {
  private windowEndsAt = 0;
  private trailing: NodeJS.Timeout | undefined;
  /** Earliest due time (this host's ms since epoch) among tasks added since the last notification. */
  private pendingDueAt: number | undefined;

  constructor(
    private readonly db: Queryable,
    private readonly windowMs = 10,
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Tasks were added; the earliest of them is due in `dueInMs` (0: now). Compute it from the
   * database's own clock (scheduled_at − created_at), never by comparing with this host's.
   */
  tasksAdded(dueInMs = 0): void {
    const due = Date.now() + Math.max(0, dueInMs);
    this.pendingDueAt = this.pendingDueAt === undefined ? due : Math.min(this.pendingDueAt, due);
    if (this.trailing) return;
    const wait = this.windowEndsAt - Date.now();
    if (wait <= 0) this.send();
    else this.trailing = setTimeout(() => this.send(), wait);
  }

  /** Stops the trailing timer, sending what it held. */
  flush(): void {
    if (this.trailing) this.send();
  }

  private send(): void {
    clearTimeout(this.trailing);
    this.trailing = undefined;
    const dueAt = this.pendingDueAt;
    this.pendingDueAt = undefined;
    this.windowEndsAt = Date.now() + this.windowMs;
    const dueInMs = Math.max(0, (dueAt ?? 0) - Date.now());
    this.db.query('select pg_notify($1, $2)', [TASKS_CHANNEL, String(Math.round(dueInMs))]).catch(this.onError);
  }
}
