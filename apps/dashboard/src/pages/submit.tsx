import { useMemo, useState } from 'preact/hooks';
import { ErrorBanner } from '../components/error-banner';
import { api, ValidationError } from '../lib/api';
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

/** The settings below the schedule: each blank by default, so the API applies its own default. */
const SETTINGS = [
  { field: 'priority', id: 'submit-priority', label: 'Priority', number: true, hint: 'Higher runs first.' },
  {
    field: 'max_retries',
    id: 'submit-max-retries',
    label: 'Max retries',
    number: true,
    hint: "Retries after the first attempt. Blank: the server's default.",
  },
  {
    field: 'timeout_ms',
    id: 'submit-timeout',
    label: 'Timeout (ms, optional)',
    number: true,
    hint: "Time limit of one attempt. Blank: the server's default.",
  },
  {
    field: 'idempotency_key',
    id: 'submit-idempotency-key',
    label: 'Idempotency key (optional)',
    number: false,
    hint: 'While a task holds this key, submitting it again returns that task.',
  },
] as const;
type Setting = (typeof SETTINGS)[number]['field'];

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
  const [settings, setSettings] = useState<Record<Setting, string>>({
    priority: '0',
    max_retries: '',
    timeout_ms: '',
    idempotency_key: '',
  });
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
      const created = await api.submit({
        task_name: taskName,
        payload: payload.empty ? undefined : payload.value,
        scheduled_at: scheduleMode === 'at' ? fromLocalInput(scheduleAt) : undefined,
        priority: optionalNumber(settings.priority),
        max_retries: optionalNumber(settings.max_retries),
        timeout_ms: optionalNumber(settings.timeout_ms),
        idempotency_key: settings.idempotency_key === '' ? undefined : settings.idempotency_key,
      });
      navigate(`tasks/${created.id}`);
    } catch (caught) {
      const message = caught instanceof Error ? caught.message : String(caught);
      setErrors(caught instanceof ValidationError ? splitFieldErrors(message, FIELDS) : { byField: {}, other: [message] });
      setBusy(false);
    }
  };

  const fieldError = errors.byField;
  return (
    <section aria-labelledby="submit-title" class="submit-page">
      <h1 id="submit-title">Submit a task</h1>
      <form class="card" onSubmit={(event) => void submit(event)} noValidate>
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
          {SETTINGS.map((setting) => (
            <InputField
              key={setting.field}
              id={setting.id}
              label={setting.label}
              type={setting.number ? 'number' : 'text'}
              value={settings[setting.field]}
              hint={setting.hint}
              error={fieldError[setting.field]}
              onInput={(value) => setSettings((current) => ({ ...current, [setting.field]: value }))}
            />
          ))}
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
