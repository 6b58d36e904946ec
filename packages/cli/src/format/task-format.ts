import { isAwaitingRetry, taskState, type Task } from '@taskforge/client';
import { formatFields, formatTable } from './table.js';

/** `failed` splits into awaiting a retry and failed for good, which is what people ask. */
export function statusText(task: Pick<Task, 'status' | 'next_retry_at'>): string {
  switch (taskState(task)) {
    case 'failed_awaiting_retry':
      return `failed, retry at ${task.next_retry_at}`;
    case 'failed_permanently':
      return 'failed for good';
    default:
      return task.status;
  }
}

export function formatTask(task: Task): string {
  const fields: [string, string][] = [
    ['id', task.id],
    ['task_name', task.task_name],
    ['status', statusText(task)],
    ['attempts', `${task.attempts} of ${1 + task.max_retries} (max_retries ${task.max_retries})`],
    ['priority', String(task.priority)],
    ['scheduled_at', task.scheduled_at],
    ['created_at', task.created_at],
  ];
  const optional: [string, string | null | undefined][] = [
    ['started_at', task.started_at],
    ['finished_at', task.finished_at],
    ['locked_by', task.locked_by],
    ['timeout_ms', task.timeout_ms == null ? null : String(task.timeout_ms)],
    ['idempotency_key', task.idempotency_key],
    ['last_error', task.last_error],
  ];
  for (const [key, value] of optional) if (value) fields.push([key, value]);
  fields.push(['payload', JSON.stringify(task.payload ?? null)]);
  if (task.status === 'completed') fields.push(['result', JSON.stringify(task.result ?? null)]);
  const history = task.attempt_history;
  if (history.length === 0) return formatFields(fields);
  const rows = history.map((a) => [
    String(a.attempt),
    a.outcome,
    // Records from before the API kept them have no worker or start time.
    a.worker_id ?? '',
    a.started_at ?? '',
    a.started_at ? `${Date.parse(a.finished_at) - Date.parse(a.started_at)} ms` : '',
    a.error?.message ?? '',
  ]);
  return `${formatFields(fields)}\n\n${formatTable(['#', 'OUTCOME', 'WORKER', 'STARTED', 'TOOK', 'ERROR'], rows)}`;
}

export const TASK_TABLE_HEADERS = ['ID', 'NAME', 'STATUS', 'ATTEMPTS', 'PRIORITY', 'SCHEDULED', 'CREATED', 'LAST ERROR'];

export function taskRow(task: Task): string[] {
  const status = isAwaitingRetry(task) ? 'failed (retrying)' : task.status;
  return [
    task.id,
    task.task_name,
    status,
    `${task.attempts}/${1 + task.max_retries}`,
    String(task.priority),
    task.scheduled_at,
    task.created_at,
    task.last_error ?? '',
  ];
}
