import { isFinal, type Task, type TaskStateFields } from '@taskforge/client';

export type WaitOutcome = 'completed' | 'failed' | 'cancelled' | 'timed_out' | 'not_found';

export interface WaitResult<T extends TaskStateFields = Task> {
  id: string;
  outcome: WaitOutcome;
  /** The task as last seen; null when it does not exist. */
  task: T | null;
}

export interface WaitOptions<T extends TaskStateFields = Task> {
  /** GET /tasks/:id; resolves null for a task that does not exist (404). */
  get(id: string): Promise<T | null>;
  /** Give up at this time (ms since the epoch). */
  deadline: number;
  /** Pause between two looks at the unfinished tasks. */
  intervalMs: number;
  /** Look-ups in flight at once. */
  concurrency?: number;
  /** After every task looked at: how many are settled, and how many of those did not complete. */
  onProgress?(settled: number, unsuccessful: number): void;
}

/**
 * Waits until every task is final, or the deadline passes. It looks at the unfinished tasks in
 * rounds, a few at a time, so a thousand ids cost a thousand small GETs per round at most, and
 * each settled task drops out. A task that does not exist settles at once as `not_found`.
 */
export async function waitForTasks<T extends TaskStateFields>(ids: readonly string[], options: WaitOptions<T>): Promise<WaitResult<T>[]> {
  const results = new Map<string, WaitResult<T>>();
  const lastSeen = new Map<string, T>();
  let unsuccessful = 0;
  let open = [...new Set(ids)];
  for (;;) {
    await eachLimited(open, options.concurrency ?? 8, async (id) => {
      const task = await options.get(id);
      if (task) lastSeen.set(id, task);
      const outcome: WaitOutcome | null = !task ? 'not_found' : isFinal(task) ? (task.status as WaitOutcome) : null;
      if (!outcome) return;
      results.set(id, { id, outcome, task });
      if (outcome !== 'completed') unsuccessful += 1;
      options.onProgress?.(results.size, unsuccessful);
    });
    open = open.filter((id) => !results.has(id));
    const left = options.deadline - Date.now();
    if (open.length === 0 || left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(options.intervalMs, left)));
  }
  for (const id of open) results.set(id, { id, outcome: 'timed_out', task: lastSeen.get(id) ?? null });
  return [...new Set(ids)].map((id) => results.get(id)!);
}

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++]!);
  });
  await Promise.all(lanes);
}
