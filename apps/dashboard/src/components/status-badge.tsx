import type { ComponentChildren } from 'preact';

/**
 * A coloured label; `tone` names the task status whose colour it takes. The text is always
 * there, so colour is never the only cue.
 */
export function Badge({ tone, children }: { tone: string; children: ComponentChildren }) {
  return <span class={`badge badge-${tone}`}>{children}</span>;
}

/** A task status as a coloured label, with a detail such as "for good" after it. */
export function StatusBadge({ status, detail }: { status: string; detail?: string }) {
  return (
    <span class={`badge badge-${status}`} data-status={status}>
      {status}
      {detail ? <span class="badge-detail"> · {detail}</span> : null}
    </span>
  );
}
