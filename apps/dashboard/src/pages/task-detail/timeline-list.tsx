import type { Task } from '@taskforge/client';
import { formatRelative, formatTime } from '../../lib/format';
import { deriveTimeline } from '../../lib/task-timeline';

/** The task's state changes, oldest first (derived in lib/task-timeline.ts); what is still to come is marked. */
export function TimelineList({ task }: { task: Task }) {
  const now = Date.now();
  return (
    <ol class="timeline">
      {deriveTimeline(task).map((event, index) => {
        const ahead = event.at !== null && Date.parse(event.at) > now;
        return (
          <li key={index} data-kind={event.kind} class={ahead ? 'ahead' : undefined}>
            <strong>{event.title}</strong>
            {event.at ? (
              <>
                {' · '}
                <time dateTime={event.at}>{formatTime(event.at)}</time>
                {ahead ? <span class="muted"> ({formatRelative(event.at, now)})</span> : null}
              </>
            ) : null}
            {event.detail ? <div class="muted timeline-detail">{event.detail}</div> : null}
          </li>
        );
      })}
    </ol>
  );
}
