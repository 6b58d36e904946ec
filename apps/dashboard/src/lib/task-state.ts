/**
 * What a task's state allows, by the same rules core applies (packages/core/src/tasks/*), so
 * the detail page offers only actions the API will accept. The API stays the judge: a task
 * can change between the page's last poll and a click, and its refusal is shown then.
 */
import { isAwaitingRetry, isQueued, taskState, type Task } from '@taskforge/client';
import { formatTime } from './format';

/** The task states' rules (awaiting a retry, final), as every part of taskforge defines them. */
export { isAwaitingRetry, isFinal } from '@taskforge/client';

/** The badge's second part: a failed task either retries at a time or failed for good. */
export function statusDetail(task: Pick<Task, 'status' | 'next_retry_at'>): string | undefined {
  switch (taskState(task)) {
    case 'failed_awaiting_retry':
      return `retry at ${formatTime(task.next_retry_at)}`;
    case 'failed_permanently':
      return 'for good';
    default:
      return undefined;
  }
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
    runNow: isQueued(task),
  };
}
