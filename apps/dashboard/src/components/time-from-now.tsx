import { formatRelative, formatTime } from '../lib/format';

/** A time with how far it is from now, e.g. `2030-01-01 09:00:00 (in 5 min)`; `none`, muted, when there is no time. */
export function TimeFromNow({ iso, none = '—' }: { iso: string | null; none?: string }) {
  if (!iso) return <span class="muted">{none}</span>;
  return (
    <>
      <time dateTime={iso}>{formatTime(iso)}</time> <span class="muted">({formatRelative(iso)})</span>
    </>
  );
}
