import { TASK_STATES, type QueueStats } from '@taskforge/client';
import { formatCount, formatDuration } from '../../lib/format';
import { href } from '../../lib/router';
import { STATE_LABELS } from '../../lib/state-labels';

/** One tile per state a task can be in, opening the task list filtered to its status. */
const TILES = TASK_STATES.map((bucket) => ({ bucket, label: STATE_LABELS[bucket].tile, status: STATE_LABELS[bucket].status }));

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
