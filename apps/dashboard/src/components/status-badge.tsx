/** A task status as a coloured label; the text is always there, so colour is never the only cue. */
export function StatusBadge({ status, detail }: { status: string; detail?: string }) {
  return (
    <span class={`badge badge-${status}`} data-status={status}>
      {status}
      {detail ? <span class="badge-detail"> · {detail}</span> : null}
    </span>
  );
}
