import type { ComponentChildren } from 'preact';
import type { Task } from '@taskforge/client';
import { TimeFromNow } from '../../components/time-from-now';
import { formatDuration, formatTime } from '../../lib/format';
import { href } from '../../lib/router';

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
        <TimeFromNow iso={task.created_at} />
      </Fact>
      <Fact term="Scheduled">
        <TimeFromNow iso={task.scheduled_at} />
      </Fact>
      {task.next_retry_at ? (
        <Fact term="Next retry">
          <TimeFromNow iso={task.next_retry_at} />
        </Fact>
      ) : null}
      <Fact term="Started">
        <TimeFromNow iso={task.started_at} />
      </Fact>
      <Fact term="Finished">
        <TimeFromNow iso={task.finished_at} />
      </Fact>
      <Fact term="Updated">
        <TimeFromNow iso={task.updated_at} />
      </Fact>
      <Fact term="Worker">{task.locked_by ? <code>{task.locked_by}</code> : '—'}</Fact>
      {task.lease_expires_at ? (
        <Fact term="Lease expires">
          <TimeFromNow iso={task.lease_expires_at} />
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
