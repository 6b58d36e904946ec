export {
  FINAL_STATES,
  QUEUED_STATES,
  TASK_STATES,
  TASK_STATUSES,
  isAwaitingRetry,
  isFinal,
  isQueued,
  taskState,
  type TaskState,
  type TaskStateFields,
  type TaskStatus,
} from './task-states.js';
