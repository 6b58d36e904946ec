import type { ComponentChildren } from 'preact';
import type { QueueStats } from '@taskforge/client';
import { formatBytes, formatCount, formatDuration, formatRelative, formatTime } from '../../lib/format';

/**
 * Dead tuples above this share of the table (and past autovacuum's own 1,000-row threshold, so
 * a small table's few do not count), or a transaction open this long, deserve a look.
 */
const DEAD_SHARE_WARNING = 0.2;
const DEAD_ROWS_WARNING = 1_000;
const OLD_TRANSACTION_WARNING_S = 300;
/**
 * Below this a transaction is just a query running now (often one of this page's own three
 * requests, on another connection): nothing holds the horizon back worth naming.
 */
const TRANSIENT_TRANSACTION_S = 1;

function When({ iso }: { iso: string | null }) {
  if (!iso) return <span class="muted">never</span>;
  return (
    <time dateTime={iso} title={formatTime(iso)}>
      {formatRelative(iso)}
    </time>
  );
}

function Warn({ when, children }: { when: boolean; children: ComponentChildren }) {
  return when ? <strong class="warn-text">{children} (high)</strong> : <>{children}</>;
}

/**
 * The tasks table as vacuum sees it: dead tuples pile up in a queue, and whatever holds the
 * vacuum horizon back (a long transaction, a prepared one, a replication slot) keeps them.
 */
export function TableHealth({ stats }: { stats: QueueStats }) {
  const { table, vacuum_horizon: horizon } = stats;
  const rows = table.n_live_tup + table.n_dead_tup;
  const deadShare = rows > 0 ? table.n_dead_tup / rows : 0;
  const transaction = horizon.oldest_transaction;
  const oldest = transaction && transaction.age_seconds >= TRANSIENT_TRANSACTION_S ? transaction : null;
  return (
    <section class="card" aria-labelledby="table-health-title">
      <h2 id="table-health-title">Table health</h2>
      <dl class="facts">
        <dt>Live tuples</dt>
        <dd>{formatCount(table.n_live_tup)}</dd>
        <dt>Dead tuples</dt>
        <dd>
          <Warn when={deadShare > DEAD_SHARE_WARNING && table.n_dead_tup > DEAD_ROWS_WARNING}>
            {formatCount(table.n_dead_tup)} ({Math.round(deadShare * 100)} %)
          </Warn>
        </dd>
        <dt>Total size</dt>
        <dd>{formatBytes(table.total_bytes)}</dd>
        <dt>Autovacuum</dt>
        <dd>
          {table.autovacuum_enabled ? 'on' : <strong class="warn-text">off: dead rows are never reclaimed, so the table only grows</strong>}
        </dd>
        <dt>Last autovacuum</dt>
        <dd>
          <When iso={table.last_autovacuum} />
        </dd>
        <dt>Last autoanalyze</dt>
        <dd>
          <When iso={table.last_autoanalyze} />
        </dd>
        <dt>Oldest open transaction</dt>
        <dd>
          {oldest ? (
            <>
              <Warn when={oldest.age_seconds > OLD_TRANSACTION_WARNING_S}>{formatDuration(oldest.age_seconds * 1000)}</Warn>
              {' · '}
              {oldest.application_name || <span class="muted">no application name</span>}{' '}
              <span class="muted">
                (pid {oldest.pid}
                {oldest.state ? `, ${oldest.state}` : ''})
              </span>
            </>
          ) : (
            <span class="muted">none open longer than {TRANSIENT_TRANSACTION_S} s</span>
          )}
        </dd>
        <dt>Prepared transactions</dt>
        <dd>
          <Warn when={horizon.prepared_transactions > 0}>{horizon.prepared_transactions}</Warn>
        </dd>
        <dt>Replication slots holding xmin</dt>
        <dd>
          <Warn when={horizon.replication_slots_holding_xmin > 0}>{horizon.replication_slots_holding_xmin}</Warn>
        </dd>
      </dl>
    </section>
  );
}
