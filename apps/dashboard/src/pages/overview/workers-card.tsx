import type { HeldTask, LiveWorker } from '@taskforge/client';
import { TableHead, type Column } from '../../components/table-head';
import { formatRelative } from '../../lib/format';
import { href } from '../../lib/router';
import { heartbeatAge } from './overview-figures';

const COLUMNS: readonly Column[] = [
  'Worker',
  'Last heartbeat',
  { label: 'Running / held', title: 'Handlers running at its last heartbeat / tasks it holds in the table' },
  'Running tasks',
  'Serves',
  'Host',
  'Concurrency',
];

function RunningTasks({ worker }: { worker: LiveWorker }) {
  if (worker.running_tasks.length === 0) return <span class="muted">none</span>;
  const more = worker.held_tasks - worker.running_tasks.length;
  return (
    <ul class="plain-list">
      {worker.running_tasks.map((task: HeldTask) => (
        <li key={task.id}>
          <a href={href(`tasks/${task.id}`)}>
            {task.task_name} <code>{task.id.slice(0, 8)}</code>
          </a>{' '}
          <span class="muted">
            started {formatRelative(task.started_at)}
            {task.attempts > 1 ? `, attempt ${task.attempts}` : ''}
          </span>
        </li>
      ))}
      {more > 0 ? <li class="muted">and {more} more</li> : null}
    </ul>
  );
}

/**
 * Workers that heartbeated lately, what each serves and the tasks it holds now. The columns a
 * glance needs come first, so a phone shows them before the table scrolls sideways.
 */
export function WorkersCard({ workers }: { workers: readonly LiveWorker[] }) {
  return (
    <section class="card" aria-labelledby="workers-title">
      <h2 id="workers-title">Live workers ({workers.length})</h2>
      {workers.length === 0 ? (
        <p class="muted">No worker has sent a heartbeat lately: nothing is claiming tasks. Start one with npm run start:worker.</p>
      ) : (
        <div class="table-wrap">
          <table>
            <TableHead columns={COLUMNS} />
            <tbody>
              {workers.map((worker) => (
                <tr key={worker.id}>
                  <td>
                    <code>{worker.id}</code>
                  </td>
                  <td>{heartbeatAge(worker.last_seen_at)}</td>
                  <td>
                    {worker.running} / {worker.held_tasks}
                  </td>
                  <td class="wrap">
                    <RunningTasks worker={worker} />
                  </td>
                  <td class="wrap">{worker.task_names.join(', ')}</td>
                  <td>
                    {worker.host} <span class="muted">pid {worker.pid}</span>
                  </td>
                  <td>{worker.concurrency}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
