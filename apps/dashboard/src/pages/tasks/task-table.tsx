import type { Task } from '@taskforge/client';
import { TableHead, type Column } from '../../components/table-head';
import { StatusBadge } from '../../components/status-badge';
import { formatTime } from '../../lib/format';
import { href } from '../../lib/router';
import { statusDetail } from '../../lib/task-state';

const COLUMNS: readonly Column[] = [
  'Id',
  'Task name',
  'Status',
  'Priority',
  { label: 'Attempts', title: 'Attempts started / most attempts allowed (max_retries + 1)' },
  'Created',
  'Scheduled',
  'Finished',
];

/** The first 8 characters of a UUID: enough to tell tasks apart on one screen. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** One page of tasks; the id links to the task's detail page. */
export function TaskTable({ tasks, caption }: { tasks: Task[]; caption: string }) {
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">{caption}</caption>
        <TableHead columns={COLUMNS} />
        <tbody>
          {tasks.map((task) => (
            <tr key={task.id}>
              <td>
                <a href={href(`tasks/${task.id}`)} title={task.id} aria-label={`Task ${task.id}`}>
                  <code>{shortId(task.id)}</code>
                </a>
              </td>
              <td class="wrap">{task.task_name}</td>
              <td>
                <StatusBadge status={task.status} detail={statusDetail(task)} />
              </td>
              <td>{task.priority}</td>
              <td>
                {task.attempts} / {task.max_retries + 1}
              </td>
              <td>{formatTime(task.created_at)}</td>
              <td>{formatTime(task.scheduled_at)}</td>
              <td>{formatTime(task.finished_at)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
