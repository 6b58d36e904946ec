interface ScheduleFieldProps {
  mode: 'now' | 'at';
  at: string;
  error: string | undefined;
  onChange: (mode: 'now' | 'at', at: string) => void;
}

/** Due now, or at a local date and time (sent as UTC). */
export function ScheduleField({ mode, at, error, onChange }: ScheduleFieldProps) {
  return (
    <fieldset class="field">
      <legend>When</legend>
      <label class="checkbox">
        <input type="radio" name="schedule" value="now" checked={mode === 'now'} onChange={() => onChange('now', at)} />
        Now
      </label>
      <label class="checkbox">
        <input type="radio" name="schedule" value="at" checked={mode === 'at'} onChange={() => onChange('at', at)} />
        At a time
      </label>
      <label for="submit-scheduled-at" class="sub-label">
        Due at (your local time)
      </label>
      <input
        id="submit-scheduled-at"
        type="datetime-local"
        value={at}
        disabled={mode !== 'at'}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'scheduled-at-error' : undefined}
        onInput={(event) => onChange('at', event.currentTarget.value)}
      />
      {error ? (
        <div id="scheduled-at-error" class="field-error">
          {error}
        </div>
      ) : null}
    </fieldset>
  );
}
