/** What the caps need to know of a claimed task. */
interface Held {
  readonly task: { readonly task_name: string };
}

/**
 * The concurrency caps of one worker's task types (TaskTypeOptions.concurrency): how many tasks
 * of each capped type the next claim may take, and whether one probably has more waiting.
 *
 * A claim takes at most cap − held of a capped type, where held counts its tasks running plus
 * those claimed into the buffer. So held never exceeds the cap, and neither does running (≤
 * held). It also means any buffered task can start as soon as an overall slot frees: the buffer
 * stays first-in first-out, and a capped type's tasks never hold up other types' behind them.
 * What a type cannot take stays in the queue, where other workers can take it.
 */
export class PerNameCaps {
  /** Capped names whose last claim took all it was allowed, or was allowed none: more may be due. */
  private readonly saturated = new Set<string>();
  /** Where the next claim starts in `caps`: when room is short, each capped name gets its turn first. */
  private rotation = 0;

  constructor(private readonly caps: ReadonlyMap<string, number>) {}

  get size(): number {
    return this.caps.size;
  }

  /**
   * Each capped name with what the next claim may take of it: its cap minus its held tasks,
   * in rotating order (the claim gives earlier entries theirs first when room runs short).
   */
  limits(held: Iterable<Held>, alsoHeld: Iterable<Held> = []): Array<[string, number]> {
    if (this.caps.size === 0) return [];
    const counts = this.heldCounts(held, alsoHeld);
    const entries = [...this.caps];
    const start = this.rotation++ % entries.length;
    return [...entries.slice(start), ...entries.slice(0, start)].map(([name, cap]) => [name, Math.max(0, cap - (counts.get(name) ?? 0))]);
  }

  /** Records what a claim made with `limits` (and `room` in all) took of each capped name. */
  claimed(limits: ReadonlyArray<readonly [string, number]>, room: number, tasks: ReadonlyArray<{ task_name: string }>): void {
    if (limits.length === 0) return;
    const taken = new Map<string, number>();
    for (const task of tasks) taken.set(task.task_name, (taken.get(task.task_name) ?? 0) + 1);
    let left = room;
    for (const [name, limit] of limits) {
      // What the claim could give this name: its limit, as far as the room reached (see claimTasks).
      const allowed = Math.min(limit, left);
      left -= allowed;
      if (allowed === 0 || (taken.get(name) ?? 0) >= allowed) this.saturated.add(name);
      else this.saturated.delete(name);
    }
  }

  /** A slot of this name freed up while more of it may be due: worth a claim. */
  mayHaveMore(taskName: string): boolean {
    return this.saturated.has(taskName);
  }

  /** Some capped name may have due tasks and has a free slot now: claiming again would get it some. */
  readyToClaim(held: Iterable<Held>, alsoHeld: Iterable<Held> = []): boolean {
    if (this.saturated.size === 0) return false;
    const counts = this.heldCounts(held, alsoHeld);
    for (const name of this.saturated) if ((counts.get(name) ?? 0) < this.caps.get(name)!) return true;
    return false;
  }

  private heldCounts(...groups: Array<Iterable<Held>>): Map<string, number> {
    const counts = new Map<string, number>();
    for (const group of groups) {
      for (const { task } of group) if (this.caps.has(task.task_name)) counts.set(task.task_name, (counts.get(task.task_name) ?? 0) + 1);
    }
    return counts;
  }
}
