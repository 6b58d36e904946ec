import { useEffect, useRef, useState } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner';
import { JsonView } from '../components/json-view';
import { ScrollableText } from '../components/scrollable-text';
import { StatusBadge } from '../components/status-badge';
import { api, ApiError } from '../lib/api';
import { href } from '../lib/router';
import { isFinal, statusDetail } from '../lib/task-state';
import { usePoll } from '../lib/use-poll';
import { AttemptTable } from './task-detail/attempt-table';
import { TaskActions } from './task-detail/task-actions';
import { TaskFacts } from './task-detail/task-facts';
import { TimelineList } from './task-detail/timeline-list';
import { shortId } from './tasks/task-table';

/** While the task can still change by itself (queued, running, awaiting a retry). */
const LIVE_REFRESH_MS = 2_000;

/** 404 (no such task) and 400 (not a UUID) will not change by asking again. */
function isHopeless(error: Error | undefined): boolean {
  return error instanceof ApiError && (error.status === 404 || error.status === 400);
}

/** Keyed by id: a link to another task starts afresh (its own polling, no 404 remembered from the last one). */
export function TaskDetailPage({ id }: { id: string }) {
  return <TaskDetail key={id} id={id} />;
}

function TaskDetail({ id }: { id: string }) {
  // Polls until the task is final; an action that brings it back (retry) restarts the polling.
  const [settled, setSettled] = useState(false);
  // A 404 or 400 is answered once: asking again would only repeat it (and its console line).
  const hopeless = useRef<Error | undefined>(undefined);
  const { data, error, refresh } = usePoll(
    async (signal) => {
      if (hopeless.current) throw hopeless.current;
      try {
        return await api.get(id, { signal });
      } catch (caught) {
        if (caught instanceof Error && isHopeless(caught)) hopeless.current = caught;
        throw caught;
      }
    },
    settled ? 0 : LIVE_REFRESH_MS,
    [id],
  );
  const task = data?.id === id ? data : undefined;
  useEffect(() => setSettled(task ? isFinal(task) : isHopeless(error)), [task, error]);

  if (!task) {
    if (error instanceof ApiError && error.status === 404) return <NoSuchTask id={id} />;
    if (error) return <ErrorBanner error={error} title="Could not load the task" />;
    return (
      <p class="muted" role="status">
        Loading task {id}…
      </p>
    );
  }

  return (
    <section aria-labelledby="task-title">
      <p>
        <a href={href('tasks')}>← All tasks</a>
      </p>
      <h1 id="task-title">
        Task <code>{shortId(task.id)}</code> <StatusBadge status={task.status} detail={statusDetail(task)} />
      </h1>
      <ErrorBanner error={error} title="Could not refresh" />
      <div class="card">
        <TaskActions task={task} onChanged={refresh} />
      </div>
      <div class="grid">
        <div class="card">
          <h2>Facts</h2>
          <TaskFacts task={task} />
          <p>
            <a href={href('submit', { task_name: task.task_name })}>Submit another {task.task_name} task</a>
          </p>
        </div>
        <div class="card">
          <h2>Timeline</h2>
          <TimelineList task={task} />
        </div>
      </div>
      <div class="grid">
        <div class="card">
          <h2>Payload</h2>
          <JsonView value={task.payload} label="Payload" />
        </div>
        <div class="card">
          <h2>Result</h2>
          {task.status === 'completed' ? <JsonView value={task.result} label="Result" /> : <p class="muted">None until it completes.</p>}
        </div>
      </div>
      {task.last_error ? (
        <div class="card">
          <h2>Last error</h2>
          <ScrollableText label="Last error" kind="stack">
            {task.last_error}
          </ScrollableText>
        </div>
      ) : null}
      <div class="card">
        <h2>Attempts</h2>
        <AttemptTable task={task} />
      </div>
    </section>
  );
}

function NoSuchTask({ id }: { id: string }) {
  return (
    <section aria-labelledby="task-title">
      <h1 id="task-title">No such task</h1>
      <p>
        No task has the id <code>{id}</code>. It may never have existed, or it finished long enough ago that the retention period removed
        it.
      </p>
      <p>
        <a href={href('tasks')}>See all tasks</a>
      </p>
    </section>
  );
}
