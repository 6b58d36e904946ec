import type { QueueStats, TaskStatus } from '@taskforge/client';
import { formatCount, formatDuration } from '../../lib/format';
import { href } from '../../lib/router';

type Bucket = 'pending' | 'running' | 'completed' | 'failed_awaiting_retry' | 'failed_permanently' | 'cancelled';

/**
 * One tile per state a task can be in. Both kinds of failure open the failed tasks: the list
 * filters by status, and a task's detail tells whether a retry is still due.
 */
const TILES: ReadonlyArray<{ bucket: Bucket; label: string; status: TaskStatus }> = [
  { bucket: 'pending', label: 'Pending', status: 'pending' },
  { bucket: 'running', label: 'Running', status: 'running' },
  { bucket: 'completed', label: 'Completed', status: 'completed' },
  { bucket: 'failed_awaiting_retry', label: 'Failed, awaiting retry', status: 'failed' },
  { bucket: 'failed_permanently', label: 'Failed for good', status: 'failed' },
  { bucket: 'cancelled', label: 'Cancelled', status: 'cancelled' },
];

export function StatusTiles({ stats }: { stats: QueueStats }) {
  return (
    <div class="stat-tiles">
      {TILES.map((tile) => (
        <a key={tile.bucket} class={`stat-tile tile-${tile.bucket}`} href={href('tasks', { status: tile.status })}>
          <div class="value">{formatCount(stats[tile.bucket])}</div>
          <div class="label">{tile.label}</div>
        </a>
      ))}
      <div class="stat-tile" data-testid="queue-lag">
        <div class="value">{stats.queue_lag_ms > 0 ? formatDuration(stats.queue_lag_ms) : '0'}</div>
        <div class="label">Queue lag{stats.queue_lag_ms > 0 ? ' (oldest due task waiting)' : ' (nothing due is waiting)'}</div>
      </div>
    </div>
  );
}
