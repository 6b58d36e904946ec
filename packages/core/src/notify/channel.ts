/** The LISTEN/NOTIFY channel on which "tasks were added" hints travel. */
export const TASKS_CHANNEL = 'taskforge_tasks';
