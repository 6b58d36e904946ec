import { useState } from 'preact/hooks';
import type { Task } from '@taskforge/client';
import { ConfirmAction } from '../../components/confirm-action';
import { api } from '../../lib/api';
import { formatTime, fromLocalInput, toLocalInput } from '../../lib/format';
import { useFocusKeeper } from '../../lib/use-focus-keeper';
import { allowedActions, type CancelKind } from '../../lib/task-state';

const CANCEL_WORDING: Record<CancelKind, { label: string; question: string }> = {
  plain: { label: 'Cancel', question: 'It will not run. Retry can put it back in the queue later.' },
  'force-running': {
    label: 'Force cancel',
    question:
      'It is running now. Its worker is told to abort the handler at once, and the attempt is recorded as cancelled. ' +
      'Whatever the handler already did (an email sent, a row written) is not undone; a handler that ignores the abort ' +
      'may even finish its work, yet the task stays cancelled.',
  },
  'force-retry': {
    label: 'Cancel retries',
    question: 'It failed and waits for a retry. The retry will not happen; the task ends as cancelled.',
  },
};

/**
 * The actions the task's status allows (see lib/task-state.ts). While a dialog is open the
 * buttons keep to the status the user saw when opening it, so a poll cannot pull the dialog
 * away mid-decision; if the task moved on meanwhile, the API refuses and the dialog says why.
 */
export function TaskActions({ task, onChanged }: { task: Task; onChanged: () => void }) {
  const [frozen, setFrozen] = useState<Task | null>(null);
  const [runAt, setRunAt] = useState('');
  const shown = frozen ?? task;
  const allowed = allowedActions(shown);
  const hold = (open: boolean) => setFrozen(open ? task : null);

  const group = useFocusKeeper<HTMLDivElement>();
  const cancel = allowed.cancel ? CANCEL_WORDING[allowed.cancel] : null;
  const none = !allowed.cancel && !allowed.reschedule && !allowed.retry && !allowed.runNow;

  return (
    <div class="actions" role="group" aria-label="Task actions" ref={group} tabIndex={-1}>
      {none ? <p class="muted">No actions: a completed task is final.</p> : null}
      {allowed.runNow ? (
        <ConfirmAction
          label="Run now"
          question={`Make it due at once instead of ${formatTime(shown.next_retry_at ?? shown.scheduled_at)}. It keeps its place if already due.`}
          onConfirm={() => api.runNow(task.id)}
          onDone={onChanged}
          onOpenChange={hold}
        />
      ) : null}
      {allowed.reschedule ? (
        <ConfirmAction
          label="Reschedule"
          question="Pick when it becomes due (your local time)."
          onConfirm={() => {
            if (!runAt) return Promise.reject(new Error('Pick a date and time first.'));
            return api.reschedule(task.id, fromLocalInput(runAt));
          }}
          onDone={onChanged}
          onOpenChange={(open) => {
            if (open) setRunAt(toLocalInput(task.scheduled_at));
            hold(open);
          }}
        >
          <div class="field">
            <label for="reschedule-at">Due at</label>
            <input
              id="reschedule-at"
              type="datetime-local"
              value={runAt}
              required
              onInput={(event) => setRunAt(event.currentTarget.value)}
            />
          </div>
        </ConfirmAction>
      ) : null}
      {allowed.retry ? (
        <ConfirmAction
          label="Retry"
          question="Put it back in the queue, due now, with its attempts counted from zero again. Earlier attempts stay in its history."
          onConfirm={() => api.retry(task.id)}
          onDone={onChanged}
          onOpenChange={hold}
        />
      ) : null}
      {cancel ? (
        <ConfirmAction
          label={cancel.label}
          question={cancel.question}
          danger
          onConfirm={() => api.cancel(task.id, { force: allowed.cancel === 'plain' ? undefined : true })}
          onDone={onChanged}
          onOpenChange={hold}
        />
      ) : null}
    </div>
  );
}
