import type { TaskResponse } from './task-response.js';

/** GET /tasks: one page of tasks, and where the next one starts (null after the last). */
export interface TaskListResponse {
  tasks: TaskResponse[];
  next_cursor: string | null;
}
