import { api } from './api';
import { usePoll } from './use-poll';

/** Every name once, sorted, so lists read the same on every load. */
function sortedNames(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => a.localeCompare(b));
}

export interface LiveTaskNames {
  /** Undefined until the first answer. */
  names: string[] | undefined;
  workerCount: number | undefined;
  error: Error | undefined;
}

/**
 * The names live workers have handlers for: what a submitted task can actually run as (the
 * submit form's choices, the schedule form's suggestions). Refreshed every 10 s, so a worker
 * started while the form is open adds its names.
 */
export function useLiveTaskNames(): LiveTaskNames {
  const { data, error } = usePoll((signal) => api.workers({ signal }), 10_000);
  return {
    names: data ? sortedNames(data.flatMap((worker) => worker.task_names)) : undefined,
    workerCount: data?.length,
    error,
  };
}

/**
 * Names worth suggesting in a filter: those in the table (from /monitor/stats) and those live
 * workers serve. Loaded once: a suggestion list need not be live, and the stats cost a query.
 * A failure leaves the list empty; the filter still takes any name typed.
 */
export function useKnownTaskNames(): string[] {
  const stats = usePoll((signal) => api.stats({ signal }), 0);
  const workers = usePoll((signal) => api.workers({ signal }), 0);
  return sortedNames([...Object.keys(stats.data?.by_task_name ?? {}), ...(workers.data?.flatMap((worker) => worker.task_names) ?? [])]);
}
