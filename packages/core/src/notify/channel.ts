/** The LISTEN/NOTIFY channel on which "tasks were added" hints travel. */
export const TASKS_CHANNEL = 'taskforge_tasks';

/**
 * The channel on which a force cancel (force-cancel-task.ts) names the task it cancelled, so
 * the worker running it aborts it at once. A hint too: a worker that misses it learns at its
 * next heartbeat, which no longer finds the task running.
 */
export const CANCEL_CHANNEL = 'taskforge_cancel';
