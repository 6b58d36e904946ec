import { useState } from 'preact/hooks';
import type { Schedule } from '@taskforge/client';
import { ErrorBanner } from '../components/error-banner';
import { api } from '../lib/api';
import { formatRelative, formatTime } from '../lib/format';
import { useFocusKeeper } from '../lib/use-focus-keeper';
import { usePoll } from '../lib/use-poll';
import { ScheduleForm } from './schedules/schedule-form';
import { ScheduleTable } from './schedules/schedule-table';

/** Often enough that a schedule's next run time moves on soon after it fired. */
const REFRESH_MS = 5_000;

export function SchedulesPage() {
  const { data, error, refresh } = usePoll((signal) => api.schedules.list({ signal }), REFRESH_MS);
  const [created, setCreated] = useState<Schedule>();
  // A deleted schedule takes its row, and the focused Delete button, with it.
  const list = useFocusKeeper<HTMLElement>('container');
  return (
    <section aria-labelledby="schedules-title">
      <h1 id="schedules-title">Schedules</h1>
      <ErrorBanner error={error} title={data ? 'Could not refresh (showing the last answer)' : 'Could not load'} />
      <div role="status">
        {created ? (
          <p class="notice">
            Created {created.name}
            {created.next_run_at ? `; first run ${formatTime(created.next_run_at)} (${formatRelative(created.next_run_at)})` : ''}.
          </p>
        ) : null}
      </div>
      <section class="card" aria-labelledby="schedule-list-title" ref={list} tabIndex={-1}>
        <h2 id="schedule-list-title">All schedules{data ? ` (${data.length})` : ''}</h2>
        {data ? <ScheduleTable schedules={data} onChanged={refresh} /> : <p class="muted">Loading…</p>}
      </section>
      <ScheduleForm
        onCreated={(schedule) => {
          setCreated(schedule);
          refresh();
        }}
      />
    </section>
  );
}
