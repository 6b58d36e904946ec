import { TASK_STATES, type StatusCounts } from '@taskforge/client';
import { TableHead } from '../../components/table-head';
import { formatCount } from '../../lib/format';
import { href } from '../../lib/router';
import { STATE_LABELS } from '../../lib/state-labels';

const COLUMNS: ReadonlyArray<{ key: keyof StatusCounts; label: string }> = [
  ...TASK_STATES.map((key) => ({ key, label: STATE_LABELS[key].column })),
  { key: 'total', label: 'Total' },
];

/** The status counts split by task name; each name opens the task list filtered to it. */
export function TaskNameCounts({ byName }: { byName: Record<string, StatusCounts> }) {
  const names = Object.keys(byName);
  return (
    <section class="card" aria-labelledby="task-names-title">
      <h2 id="task-names-title">By task name</h2>
      {names.length === 0 ? (
        <p class="muted">
          No tasks yet. <a href={href('submit')}>Submit one</a> to see it run.
        </p>
      ) : (
        <div class="table-wrap">
          <table>
            <TableHead columns={['Task name', ...COLUMNS.map((column) => ({ label: column.label, numeric: true }))]} />
            <tbody>
              {names.map((name) => (
                <tr key={name}>
                  <th scope="row">
                    <a href={href('tasks', { task_name: name })}>{name}</a>
                  </th>
                  {COLUMNS.map((column) => (
                    <td key={column.key} class="num">
                      {formatCount(byName[name]![column.key])}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
