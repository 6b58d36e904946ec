/**
 * The task list's state as it lives in the URL hash (`#/tasks?status=…&cursor=…`), so a
 * reload, the back button or a shared link shows the same filters and the same page.
 *
 * Paging is keyset: the API hands out `next_cursor` and knows nothing of earlier pages, so
 * the way back is kept here. `cursor` starts the page on screen (none: the first page) and
 * `back` lists the cursors of the pages before it, the first page left out (it has none).
 */
import { TASK_STATUSES, type ListTasksQuery, type TaskStatus } from '@taskforge/client';

export const PAGE_SIZES = [25, 50, 100] as const;
export const DEFAULT_PAGE_SIZE = 50;

export interface TaskFilters {
  statuses: TaskStatus[];
  taskName: string;
  /** ISO 8601 (UTC), as the API takes them; the form shows them in local time. */
  createdAfter: string;
  createdBefore: string;
}

export interface TaskListState extends TaskFilters {
  limit: number;
  cursor: string;
  back: string[];
}

export const NO_FILTERS: TaskFilters = { statuses: [], taskName: '', createdAfter: '', createdBefore: '' };

export function readTaskListState(query: URLSearchParams): TaskListState {
  // Statuses are kept as the user's URL says, even unknown ones, so the API names the mistake.
  const statuses = (query.get('status') ?? '').split(',').filter(Boolean) as TaskStatus[];
  const limit = Number(query.get('limit'));
  return {
    statuses,
    taskName: query.get('task_name') ?? '',
    createdAfter: query.get('created_after') ?? '',
    createdBefore: query.get('created_before') ?? '',
    limit: (PAGE_SIZES as readonly number[]).includes(limit) ? limit : DEFAULT_PAGE_SIZE,
    cursor: query.get('cursor') ?? '',
    back: (query.get('back') ?? '').split(',').filter(Boolean),
  };
}

/** The hash query for a state; defaults are left out so plain links stay short. */
export function taskListHashQuery(state: TaskListState): Record<string, string> {
  const query: Record<string, string> = {};
  if (state.statuses.length) query.status = orderedStatuses(state.statuses).join(',');
  if (state.taskName) query.task_name = state.taskName;
  if (state.createdAfter) query.created_after = state.createdAfter;
  if (state.createdBefore) query.created_before = state.createdBefore;
  if (state.limit !== DEFAULT_PAGE_SIZE) query.limit = String(state.limit);
  if (state.cursor) query.cursor = state.cursor;
  if (state.back.length) query.back = state.back.join(',');
  return query;
}

/** The GET /tasks query for the page on screen. */
export function taskListApiQuery(state: TaskListState): ListTasksQuery {
  return {
    status: state.statuses.length ? state.statuses : undefined,
    task_name: state.taskName.trim() || undefined,
    created_after: state.createdAfter || undefined,
    created_before: state.createdBefore || undefined,
    limit: state.limit,
    cursor: state.cursor || undefined,
  };
}

/** New filters or a new page size start again on the first page. */
export function withFilters(state: TaskListState, filters: Partial<TaskFilters> & { limit?: number }): TaskListState {
  return { ...state, ...filters, cursor: '', back: [] };
}

export function nextPage(state: TaskListState, nextCursor: string): TaskListState {
  return { ...state, cursor: nextCursor, back: state.cursor ? [...state.back, state.cursor] : [] };
}

export function previousPage(state: TaskListState): TaskListState {
  return { ...state, cursor: state.back.at(-1) ?? '', back: state.back.slice(0, -1) };
}

export function firstPage(state: TaskListState): TaskListState {
  return { ...state, cursor: '', back: [] };
}

export function hasFilters(filters: TaskFilters): boolean {
  return Boolean(filters.statuses.length || filters.taskName || filters.createdAfter || filters.createdBefore);
}

/** 1 for the first page. */
export function pageNumber(state: TaskListState): number {
  return state.cursor ? state.back.length + 2 : 1;
}

function orderedStatuses(statuses: readonly string[]): string[] {
  const known = TASK_STATUSES.filter((status) => statuses.includes(status));
  const unknown = statuses.filter((status) => !(TASK_STATUSES as readonly string[]).includes(status));
  return [...known, ...unknown];
}
