import type { AttemptRecord, Task } from '@taskforge/client';
import { ScrollableText } from '../../components/scrollable-text';
import { Badge } from '../../components/status-badge';
import { TableHead } from '../../components/table-head';
import { formatDuration, formatTime } from '../../lib/format';

const OUTCOME_TEXT: Record<AttemptRecord['outcome'] | 'running', string> = {
  completed: 'completed',
  failed: 'failed',
  lease_expired: 'lease expired',
  released: 'released',
  cancelled: 'cancelled',
  running: 'running',
};

function duration(started: string | null, finished: string | null, now: number): string {
  if (!started) return '—';
  return formatDuration((finished ? Date.parse(finished) : now) - Date.parse(started));
}

interface Row {
  attempt: number;
  worker_id: string | null;
  started_at: string | null;
  finished_at: string | null;
  outcome: AttemptRecord['outcome'] | 'running';
  error: AttemptRecord['error'];
}

/** Every recorded attempt, oldest first, plus the one running now (not in the history until it ends). */
export function AttemptTable({ task }: { task: Task }) {
  const rows: Row[] = [...task.attempt_history];
  if (task.status === 'running') {
    rows.push({
      attempt: task.attempts,
      worker_id: task.locked_by,
      started_at: task.started_at,
      finished_at: null,
      outcome: 'running',
      error: null,
    });
  }
  if (rows.length === 0) return <p class="muted">No attempt yet.</p>;
  const now = Date.now();
  return (
    <div class="table-wrap">
      <table>
        <caption class="visually-hidden">Attempts</caption>
        <TableHead columns={['Attempt', 'Worker', 'Started', 'Finished', 'Duration', 'Outcome', 'Error']} />
        <tbody>
          {rows.map((row, index) => (
            <tr key={index} data-testid="attempt-row">
              <td>{row.attempt}</td>
              <td>{row.worker_id ? <code>{row.worker_id}</code> : '—'}</td>
              <td>{formatTime(row.started_at)}</td>
              <td>{formatTime(row.finished_at)}</td>
              <td>{duration(row.started_at, row.finished_at, now)}</td>
              <td>
                <Badge tone={row.outcome === 'lease_expired' || row.outcome === 'released' ? 'failed' : row.outcome}>
                  {OUTCOME_TEXT[row.outcome]}
                </Badge>
              </td>
              <td class="wrap">
                {row.error ? (
                  <>
                    {row.error.message}
                    {row.error.stack ? (
                      <details>
                        <summary>Stack</summary>
                        <ScrollableText label={`Stack of attempt ${row.attempt}`} kind="stack">
                          {row.error.stack}
                        </ScrollableText>
                      </details>
                    ) : null}
                  </>
                ) : (
                  '—'
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
