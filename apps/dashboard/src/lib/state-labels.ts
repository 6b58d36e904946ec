import type { TaskState, TaskStatus } from '@taskforge/client';

/**
 * What the dashboard calls each task state: `tile` on the overview's tiles, `column` in the counts
 * per task name. A Record, so a state added to the model does not compile until it has its words;
 * `status` is what the task list filters by to show a state's tasks (the list filters by status,
 * and a task's detail tells whether a retry is still due).
 */
export const STATE_LABELS: Record<TaskState, { tile: string; column: string; status: TaskStatus }> = {
  pending: { tile: 'Pending', column: 'Pending', status: 'pending' },
  running: { tile: 'Running', column: 'Running', status: 'running' },
  completed: { tile: 'Completed', column: 'Completed', status: 'completed' },
  failed_awaiting_retry: { tile: 'Failed, awaiting retry', column: 'Awaiting retry', status: 'failed' },
  failed_permanently: { tile: 'Failed for good', column: 'Failed for good', status: 'failed' },
  cancelled: { tile: 'Cancelled', column: 'Cancelled', status: 'cancelled' },
};
