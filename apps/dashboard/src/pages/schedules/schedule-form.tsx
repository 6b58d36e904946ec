import { useMemo, useRef, useState } from 'preact/hooks';
import type { Schedule } from '@taskforge/client';
import { ErrorBanner } from '../../components/error-banner';
import { api } from '../../lib/api';
import { useLiveTaskNames } from '../../lib/use-task-names';
import { draftToBody, emptyDraft, knownTimeZones, type ScheduleDraft } from './schedule-draft';

type TextField = Exclude<keyof ScheduleDraft, 'missed_ticks'>;

/** Creates a schedule; the API's own message is shown when it refuses (a bad cron, a taken name). */
export function ScheduleForm({ onCreated }: { onCreated: (schedule: Schedule) => void }) {
  const [draft, setDraft] = useState<ScheduleDraft>(emptyDraft);
  const [payloadError, setPayloadError] = useState<string>();
  const [apiError, setApiError] = useState<Error>();
  const [busy, setBusy] = useState(false);
  const payloadInput = useRef<HTMLTextAreaElement>(null);
  // Suggestions only: a schedule may name a task no worker serves yet (one deployed later).
  const { names: liveNames } = useLiveTaskNames();
  const taskNames = liveNames ?? [];
  const timeZones = useMemo(knownTimeZones, []);

  const bind = (field: TextField) => ({
    id: `schedule-${field.replace('_', '-')}`,
    value: draft[field],
    onInput: (event: Event) => {
      const value = (event.currentTarget as HTMLInputElement | HTMLTextAreaElement).value;
      setDraft((current) => ({ ...current, [field]: value }));
      if (field === 'payload') setPayloadError(undefined);
    },
  });

  const submit = async (event: Event) => {
    event.preventDefault();
    setApiError(undefined);
    const result = draftToBody(draft);
    if (!result.ok) {
      setPayloadError(result.message);
      payloadInput.current?.focus();
      return;
    }
    setBusy(true);
    try {
      const created = await api.schedules.create(result.body);
      setDraft((current) => ({ ...emptyDraft(), timezone: current.timezone }));
      onCreated(created);
    } catch (caught) {
      setApiError(caught instanceof Error ? caught : new Error(String(caught)));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card schedule-form" onSubmit={(event) => void submit(event)} aria-labelledby="schedule-form-title">
      <h2 id="schedule-form-title">New schedule</h2>
      <div class="form-grid">
        <div class="field">
          <label for="schedule-name">Name</label>
          <input {...bind('name')} required maxLength={255} autocomplete="off" />
        </div>
        <div class="field">
          <label for="schedule-cron">Cron expression</label>
          <input
            {...bind('cron')}
            required
            maxLength={255}
            placeholder="*/5 * * * *"
            aria-describedby="schedule-cron-hint"
            autocomplete="off"
          />
          <div class="hint" id="schedule-cron-hint">
            5 fields (minute hour day month weekday), or 6 with seconds first.
          </div>
        </div>
        <div class="field">
          <label for="schedule-timezone">Time zone</label>
          <input {...bind('timezone')} required maxLength={64} list="schedule-timezones" autocomplete="off" />
          <datalist id="schedule-timezones">
            {timeZones.map((zone) => (
              <option key={zone} value={zone} />
            ))}
          </datalist>
        </div>
        <div class="field">
          <label for="schedule-task-name">Task name</label>
          <input
            {...bind('task_name')}
            required
            maxLength={255}
            list="schedule-task-names"
            aria-describedby="schedule-task-name-hint"
            autocomplete="off"
          />
          <datalist id="schedule-task-names">
            {taskNames.map((name) => (
              <option key={name} value={name} />
            ))}
          </datalist>
          <div class="hint" id="schedule-task-name-hint">
            {liveNames === undefined
              ? 'Looking for live workers…'
              : taskNames.length > 0
                ? `Live workers serve: ${taskNames.join(', ')}.`
                : 'No live worker reports its task names right now.'}
          </div>
        </div>
        <div class="field">
          <label for="schedule-priority">Priority</label>
          <input
            {...bind('priority')}
            type="number"
            step={1}
            min={-2147483648}
            max={2147483647}
            aria-describedby="schedule-priority-hint"
          />
          <div class="hint" id="schedule-priority-hint">
            Higher runs first.
          </div>
        </div>
        <div class="field">
          <label for="schedule-max-retries">Max retries</label>
          <input {...bind('max_retries')} type="number" step={1} min={0} max={1000} aria-describedby="schedule-max-retries-hint" />
          <div class="hint" id="schedule-max-retries-hint">
            Empty: the worker's default.
          </div>
        </div>
        <div class="field">
          <label for="schedule-missed-ticks">Missed ticks</label>
          <select
            id="schedule-missed-ticks"
            value={draft.missed_ticks}
            onChange={(event) => {
              const value = event.currentTarget.value as ScheduleDraft['missed_ticks'];
              setDraft((current) => ({ ...current, missed_ticks: value }));
            }}
          >
            <option value="run_once">Run once for all missed</option>
            <option value="skip">Skip them</option>
          </select>
        </div>
      </div>
      <div class="field">
        <label for="schedule-payload">Payload (JSON)</label>
        <textarea
          {...bind('payload')}
          ref={payloadInput}
          rows={4}
          placeholder='{"report": "daily"}'
          aria-invalid={payloadError ? 'true' : undefined}
          aria-describedby={payloadError ? 'schedule-payload-error' : 'schedule-payload-hint'}
          spellcheck={false}
        />
        {payloadError ? (
          <div class="field-error" id="schedule-payload-error" role="alert">
            {payloadError}
          </div>
        ) : (
          <div class="hint" id="schedule-payload-hint">
            Given to every task the schedule makes; empty for none.
          </div>
        )}
      </div>
      <ErrorBanner error={apiError} title="The API refused" />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create schedule'}
        </button>
      </div>
    </form>
  );
}
