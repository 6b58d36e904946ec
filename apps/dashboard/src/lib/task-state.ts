/**
 * What a task's state allows, by the same rules core applies (packages/core/src/tasks/*), so
 * the detail page offers only actions the API will accept. The API stays the judge: a task
 * can change between the page's last poll and a click, and its refusal is shown then.
 */
import type { Task } from '@taskforge/client';
import { formatTime } from './format';

/** Failed with a retry ahead: not final, a worker will claim it again at next_retry_at. */
export function isAwaitingRetry(task: Pick<Task, 'status' | 'next_retry_at'>): boolean {
  return task.status === 'failed' && task.next_retry_at !== null;
}

/** Completed, cancelled, or failed with no retry left: nothing will change it unless someone acts (the client's waitFor rule). */
export { isFinalTask as isFinal } from '@taskforge/client';

/** The badge's second part: a failed task either retries at a time or failed for good. */
export function statusDetail(task: Pick<Task, 'status' | 'next_retry_at'>): string | undefined {
  if (task.status !== 'failed') return undefined;
  return task.next_retry_at ? `retry at ${formatTime(task.next_retry_at)}` : 'for good';
}

export type CancelKind =
  /** DELETE /tasks/:id: a pending task. */
  | 'plain'
  /** DELETE ?force=true on a running task: its worker is told to abort the handler. */
  | 'force-running'
  /** DELETE ?force=true on a failed task awaiting its retry: the retry never happens. */
  | 'force-retry';

export interface AllowedActions {
  cancel: CancelKind | null;
  /** PATCH scheduled_at: pending only (rescheduleTask). */
  reschedule: boolean;
  /** POST retry: failed (for good or awaiting a retry) or cancelled (retryTask). */
  retry: boolean;
  /** POST run-now: pending, or failed awaiting a retry (runTaskNow). */
  runNow: boolean;
}

export function allowedActions(task: Pick<Task, 'status' | 'next_retry_at'>): AllowedActions {
  const pending = task.status === 'pending';
  const awaitingRetry = isAwaitingRetry(task);
  return {
    cancel: pending ? 'plain' : task.status === 'running' ? 'force-running' : awaitingRetry ? 'force-retry' : null,
    reschedule: pending,
    retry: task.status === 'failed' || task.status === 'cancelled',
    runNow: pending || awaitingRetry,
  };
}
