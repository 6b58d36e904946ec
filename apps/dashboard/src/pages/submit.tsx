import { useMemo, useState } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner';
import { ApiError, request } from '../lib/api';
import { splitFieldErrors, type FieldErrors } from '../lib/field-errors';
import { fromLocalInput, toLocalInput } from '../lib/format';
import { parseJsonInput } from '../lib/parse-json-input';
import { navigate } from '../lib/router';
import { InputField } from './submit/input-field';
import { PayloadField } from './submit/payload-field';
import { ScheduleField } from './submit/schedule-field';
import { TaskNameField } from './submit/task-name-field';

const FIELDS = ['task_name', 'payload', 'scheduled_at', 'priority', 'max_retries', 'timeout_ms', 'idempotency_key'] as const;
type Field = (typeof FIELDS)[number];

const NO_ERRORS: FieldErrors<Field> = { byField: {}, other: [] };

/** A number field's value for the API: blank is left out (the API's default); anything else goes as typed, for the API to judge. */
function optionalNumber(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/**
 * POST /tasks from a form. The payload is checked here as it is typed (submit waits until it
 * parses); every other rule is the API's, whose 400 names the field, shown beside it. The
 * form does not validate natively (noValidate), so there is one source of truth for the rules.
 */
export function SubmitPage({ query }: { query: URLSearchParams }) {
  const [taskName, setTaskName] = useState('');
  const [payloadText, setPayloadText] = useState('{}');
  const [scheduleMode, setScheduleMode] = useState<'now' | 'at'>('now');
  const [scheduleAt, setScheduleAt] = useState(() => toLocalInput(new Date(Date.now() + 3_600_000)));
  const [priority, setPriority] = useState('0');
  const [maxRetries, setMaxRetries] = useState('');
  const [timeoutMs, setTimeoutMs] = useState('');
  const [idempotencyKey, setIdempotencyKey] = useState('');
  const [errors, setErrors] = useState(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const payload = useMemo(() => parseJsonInput(payloadText), [payloadText]);

  const submit = async (event: Event) => {
    event.preventDefault();
    if (!payload.ok) return;
    if (scheduleMode === 'at' && !scheduleAt) {
      setErrors({ byField: { scheduled_at: 'Pick a date and time, or choose "Now".' }, other: [] });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const created = await request<{ id: string }>('/tasks', {
        method: 'POST',
        body: {
          task_name: taskName,
          payload: payload.empty ? undefined : payload.value,
          scheduled_at: scheduleMode === 'at' ? fromLocalInput(scheduleAt) : undefined,
          priority: optionalNumber(priority),
          max_retries: optionalNumber(maxRetries),
          timeout_ms: optionalNumber(timeoutMs),
          idempotency_key: idempotencyKey === '' ? undefined : idempotencyKey,
        },
      });
      navigate(`tasks/${created.id}`);
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : String(caught);
      setErrors(caught instanceof ApiError && caught.status === 400 ? splitFieldErrors(message, FIELDS) : { byField: {}, other: [message] });
      setBusy(false);
    }
  };

  const fieldError = errors.byField;
  return (
    <section aria-labelledby="submit-title" class="submit-page">
      <h1 id="submit-title">Submit a task</h1>
      <form class="card" onSubmit={submit} noValidate>
        <TaskNameField initial={query.get('task_name') ?? ''} error={fieldError.task_name} onChange={setTaskName} />
        <PayloadField text={payloadText} parsed={payload} error={fieldError.payload} onInput={setPayloadText} />
        <ScheduleField
          mode={scheduleMode}
          at={scheduleAt}
          error={fieldError.scheduled_at}
          onChange={(mode, at) => {
            setScheduleMode(mode);
            setScheduleAt(at);
          }}
        />
        <div class="grid form-row">
          <InputField
            id="submit-priority"
            label="Priority"
            type="number"
            value={priority}
            hint="Higher runs first."
            error={fieldError.priority}
            onInput={setPriority}
          />
          <InputField
            id="submit-max-retries"
            label="Max retries"
            type="number"
            value={maxRetries}
            hint="Retries after the first attempt. Blank: the server's default."
            error={fieldError.max_retries}
            onInput={setMaxRetries}
          />
          <InputField
            id="submit-timeout"
            label="Timeout (ms, optional)"
            type="number"
            value={timeoutMs}
            hint="Time limit of one attempt. Blank: the server's default."
            error={fieldError.timeout_ms}
            onInput={setTimeoutMs}
          />
          <InputField
            id="submit-idempotency-key"
            label="Idempotency key (optional)"
            value={idempotencyKey}
            hint="While a task holds this key, submitting it again returns that task."
            error={fieldError.idempotency_key}
            onInput={setIdempotencyKey}
          />
        </div>
        <ErrorBanner error={errors.other.join('; ')} title="The API refused" />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy || !payload.ok || taskName.trim() === ''}>
            {busy ? 'Submitting…' : 'Submit task'}
          </button>
          {!payload.ok ? <span class="muted">Fix the payload to submit.</span> : null}
        </div>
      </form>
    </section>
  );
}
