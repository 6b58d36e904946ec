import type { ComponentChildren } from 'preact';
import { formatDuration, formatRelative, formatTime } from '../../lib/format';
import { href } from '../../lib/router';
import type { Task } from '../../lib/types';

/** A time with how far it is from now, e.g. `2030-01-01 09:00:00 (in 5 min)`. */
function When({ iso }: { iso: string | null }) {
  if (!iso) return <>—</>;
  return (
    <>
      <time dateTime={iso}>{formatTime(iso)}</time> <span class="muted">({formatRelative(iso)})</span>
    </>
  );
}

function Fact({ term, children }: { term: string; children: ComponentChildren }) {
  return (
    <>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </>
  );
}

export function TaskFacts({ task }: { task: Task }) {
  return (
    <dl class="facts">
      <Fact term="Id">
        <code>{task.id}</code>
      </Fact>
      <Fact term="Task name">{task.task_name}</Fact>
      <Fact term="Priority">{task.priority}</Fact>
      <Fact term="Attempts">
        {task.attempts} of at most {task.max_retries + 1}{' '}
        <span class="muted">(max_retries {task.max_retries})</span>
      </Fact>
      <Fact term="Created">
        <When iso={task.created_at} />
      </Fact>
      <Fact term="Scheduled">
        <When iso={task.scheduled_at} />
      </Fact>
      {task.next_retry_at ? (
        <Fact term="Next retry">
          <When iso={task.next_retry_at} />
        </Fact>
      ) : null}
      <Fact term="Started">
        <When iso={task.started_at} />
      </Fact>
      <Fact term="Finished">
        <When iso={task.finished_at} />
      </Fact>
      <Fact term="Updated">
        <When iso={task.updated_at} />
      </Fact>
      <Fact term="Worker">{task.locked_by ? <code>{task.locked_by}</code> : '—'}</Fact>
      {task.lease_expires_at ? (
        <Fact term="Lease expires">
          <When iso={task.lease_expires_at} />
        </Fact>
      ) : null}
      <Fact term="Timeout">{task.timeout_ms === null ? 'none' : formatDuration(task.timeout_ms)}</Fact>
      <Fact term="Idempotency key">{task.idempotency_key ? <code>{task.idempotency_key}</code> : '—'}</Fact>
      <Fact term="Schedule">
        {task.schedule_id ? (
          <>
            <a href={href('schedules', { id: task.schedule_id })}>{task.schedule_id}</a>
            {task.schedule_tick ? <span class="muted"> (tick {formatTime(task.schedule_tick)})</span> : null}
          </>
        ) : (
          '—'
        )}
      </Fact>
    </dl>
  );
}
