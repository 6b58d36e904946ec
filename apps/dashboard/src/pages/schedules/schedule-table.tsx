import { useState } from 'preact/hooks';
import type { Schedule } from '@taskforge/client';
import { ConfirmAction } from '../../components/confirm-action';
import { ErrorBanner } from '../../components/error-banner';
import { Badge } from '../../components/status-badge';
import { TableHead } from '../../components/table-head';
import { TimeFromNow } from '../../components/time-from-now';
import { api } from '../../lib/api';

interface ScheduleTableProps {
  schedules: readonly Schedule[];
  /** Called after a change was stored, so the list reloads at once. */
  onChanged: () => void;
}

/** Every schedule with its next tick; pause, resume and delete in place. Name, state and next run come first, for a phone. */
export function ScheduleTable({ schedules, onChanged }: ScheduleTableProps) {
  const [busyId, setBusyId] = useState<string>();
  const [error, setError] = useState<string>();

  const setPaused = async (schedule: Schedule, paused: boolean) => {
    setBusyId(schedule.id);
    setError(undefined);
    try {
      await (paused ? api.schedules.pause(schedule.id) : api.schedules.resume(schedule.id));
      onChanged();
    } catch (caught) {
      setError(`Could not ${paused ? 'pause' : 'resume'} ${schedule.name}: ${caught instanceof Error ? caught.message : String(caught)}`);
    } finally {
      setBusyId(undefined);
    }
  };

  if (schedules.length === 0) return <p class="muted">No schedules yet. Create one below.</p>;
  return (
    <>
      <ErrorBanner error={error} />
      <div class="table-wrap">
        <table>
          <TableHead columns={['Name', 'State', 'Next run', 'Cron', 'Task', 'Last run', 'Actions']} />
          <tbody>
            {schedules.map((schedule) => (
              <tr key={schedule.id}>
                <th scope="row">{schedule.name}</th>
                <td>
                  <Badge tone={schedule.paused ? 'cancelled' : 'completed'}>{schedule.paused ? 'paused' : 'active'}</Badge>
                </td>
                <td>
                  {schedule.paused ? <span class="muted">paused</span> : <TimeFromNow iso={schedule.next_run_at} none="never again" />}
                </td>
                <td>
                  <code>{schedule.cron}</code> <span class="muted">{schedule.timezone}</span>
                </td>
                <td>{schedule.task_name}</td>
                <td>
                  <TimeFromNow iso={schedule.last_run_at} none="not yet" />
                </td>
                <td>
                  <div class="actions">
                    <button
                      type="button"
                      aria-label={`${schedule.paused ? 'Resume' : 'Pause'} ${schedule.name}`}
                      disabled={busyId === schedule.id}
                      onClick={() => void setPaused(schedule, !schedule.paused)}
                    >
                      {schedule.paused ? 'Resume' : 'Pause'}
                    </button>
                    <ConfirmAction
                      label="Delete"
                      name={`Delete ${schedule.name}`}
                      danger
                      question={`Delete the schedule ${schedule.name}? It makes no more tasks; the tasks it made stay.`}
                      onConfirm={() => api.schedules.delete(schedule.id)}
                      onDone={onChanged}
                    />
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
