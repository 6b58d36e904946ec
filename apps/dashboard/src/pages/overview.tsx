import type { LiveWorker, QueueStats, ThroughputMinute } from '@taskforge/client';
import { ErrorBanner } from '../components/error-banner';
import { api } from '../lib/api';
import { formatTime } from '../lib/format';
import { usePoll } from '../lib/use-poll';
import { StatusTiles } from './overview/status-tiles';
import { TableHealth } from './overview/table-health';
import { TaskNameCounts } from './overview/task-name-counts';
import { ThroughputChart } from './overview/throughput-chart';
import { WorkersCard } from './overview/workers-card';

const REFRESH_MS = 3_000;

interface Snapshot {
  stats: QueueStats;
  workers: LiveWorker[];
  throughput: ThroughputMinute[];
  loadedAt: string;
}

/** The three monitor endpoints at once, so every card on screen shows the same moment. */
async function loadSnapshot(signal: AbortSignal): Promise<Snapshot> {
  const [stats, workers, throughput] = await Promise.all([api.stats({ signal }), api.workers({ signal }), api.throughput(60, { signal })]);
  return { stats, workers, throughput, loadedAt: new Date().toISOString() };
}

export function OverviewPage() {
  const { data, error } = usePoll(loadSnapshot, REFRESH_MS);
  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">Overview</h1>
      <p class="muted">{data ? `Updated ${formatTime(data.loadedAt)}, every ${REFRESH_MS / 1000} s.` : 'Loading…'}</p>
      <ErrorBanner error={error} title={data ? 'Could not refresh (showing the last answer)' : 'Could not load'} />
      {data ? (
        <>
          {data.stats.counts === 'estimated' ? (
            <p class="notice" role="note">
              The table holds more than 100,000 tasks, so the counts of finished tasks (completed, failed for good, cancelled) are estimated
              from a sample. Pending, running and awaiting-retry counts are exact.
            </p>
          ) : null}
          <StatusTiles stats={data.stats} />
          <div class="grid overview-grid">
            <section class="card" aria-labelledby="throughput-title">
              <h2 id="throughput-title">Throughput per minute, last hour</h2>
              <ThroughputChart minutes={data.throughput} />
            </section>
            <TableHealth stats={data.stats} />
          </div>
          <WorkersCard workers={data.workers} />
          <TaskNameCounts byName={data.stats.by_task_name} />
        </>
      ) : null}
    </section>
  );
}
