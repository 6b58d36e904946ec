import { ErrorBanner } from '../components/error-banner';
import { api } from '../lib/api';
import { href, navigate } from '../lib/router';
import {
  firstPage,
  hasFilters,
  nextPage,
  pageNumber,
  previousPage,
  readTaskListState,
  taskListApiQuery,
  taskListHashQuery,
  withFilters,
  type TaskListState,
} from '../lib/task-list-query';
import { usePoll } from '../lib/use-poll';
import { TaskFiltersForm } from './tasks/task-filters';
import { TaskPager } from './tasks/task-pager';
import { TaskTable } from './tasks/task-table';

/** How often the first page reloads: new tasks appear there, and statuses change. */
const FIRST_PAGE_REFRESH_MS = 5_000;

function go(state: TaskListState): void {
  navigate('tasks', taskListHashQuery(state));
}

export function TasksPage({ query }: { query: URLSearchParams }) {
  const state = readTaskListState(query);
  const apiQuery = taskListApiQuery(state);
  const key = JSON.stringify(apiQuery);
  const page = pageNumber(state);
  // Only the first page refreshes itself. Newest first, new tasks only ever land there; a later
  // page is a fixed slice behind its cursor that someone is reading, so rows changing under
  // them (or a Next whose target moves) would not help, and old pages would cost queries for
  // nothing. Back on the first page, the refresh resumes.
  const interval = page === 1 ? FIRST_PAGE_REFRESH_MS : 0;
  // Each answer carries the query it answers, so a page never shows the rows of the one before.
  const { data, error } = usePoll(async (signal) => ({ key, list: await api.listPage(apiQuery, { signal }) }), interval, [key]);
  const list = data?.key === key ? data.list : undefined;

  return (
    <section aria-labelledby="tasks-title">
      <h1 id="tasks-title">Tasks</h1>
      <TaskFiltersForm filters={state} onApply={(filters) => go(withFilters(state, filters))} />
      <ErrorBanner error={error} title="Could not load tasks" />
      {list === undefined ? (
        error ? null : (
          <p class="muted" role="status">
            Loading…
          </p>
        )
      ) : list.tasks.length === 0 ? (
        <EmptyState filtered={hasFilters(state)} page={page} />
      ) : (
        <TaskTable tasks={list.tasks} caption={`Tasks, page ${page}`} />
      )}
      <TaskPager
        page={page}
        hasNext={Boolean(list?.next_cursor)}
        limit={state.limit}
        onFirst={() => go(firstPage(state))}
        onPrevious={() => go(previousPage(state))}
        onNext={() => list?.next_cursor && go(nextPage(state, list.next_cursor))}
        onLimit={(limit) => go(withFilters(state, { limit }))}
      />
    </section>
  );
}

function EmptyState({ filtered, page }: { filtered: boolean; page: number }) {
  if (page > 1) return <p class="notice">No more tasks here: this page is past the last one.</p>;
  if (filtered) return <p class="notice">No tasks match these filters.</p>;
  return (
    <p class="notice">
      No tasks yet. <a href={href('submit')}>Submit one</a>.
    </p>
  );
}
