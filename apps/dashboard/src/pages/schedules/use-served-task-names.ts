import { request } from '../../lib/api';
import type { LiveWorker } from '../../lib/types';
import { usePoll } from '../../lib/use-poll';

/**
 * The task names live workers have handlers for, sorted, as suggestions: a schedule may name
 * a task no worker serves yet (one deployed later), so this never restricts the input.
 * Loaded once; a failure leaves the suggestions empty.
 */
export function useServedTaskNames(): string[] {
  const { data } = usePoll((signal) => request<{ workers: LiveWorker[] }>('/monitor/workers', { signal }), 0);
  return [...new Set(data?.workers.flatMap((worker) => worker.task_names) ?? [])].sort((a, b) => a.localeCompare(b));
}
