import { useEffect, useState } from 'preact/hooks';
import { TASK_STATUSES, type TaskStatus } from '@taskforge/client';
import { fromLocalInput, toLocalInput } from '../../lib/format';
import { NO_FILTERS, type TaskFilters } from '../../lib/task-list-query';
import { useKnownTaskNames } from '../../lib/use-task-names';

/** An ISO time from the URL as a datetime-local value; blank when the URL holds no valid time (the API names the mistake). */
function localOrBlank(iso: string): string {
  return iso && !Number.isNaN(Date.parse(iso)) ? toLocalInput(iso) : '';
}

interface FormValues {
  statuses: TaskStatus[];
  taskName: string;
  createdAfter: string;
  createdBefore: string;
}

function formValues(filters: TaskFilters): FormValues {
  return {
    statuses: filters.statuses,
    taskName: filters.taskName,
    createdAfter: localOrBlank(filters.createdAfter),
    createdBefore: localOrBlank(filters.createdBefore),
  };
}

function toFilters(values: FormValues): TaskFilters {
  return {
    statuses: values.statuses,
    taskName: values.taskName.trim(),
    createdAfter: values.createdAfter ? fromLocalInput(values.createdAfter) : '',
    createdBefore: values.createdBefore ? fromLocalInput(values.createdBefore) : '',
  };
}

/** One end of the creation-time range, in the browser's local time. */
function TimeBound({ id, label, value, onInput }: { id: string; label: string; value: string; onInput: (value: string) => void }) {
  return (
    <div class="field">
      <label for={id}>{label}</label>
      <input id={id} type="datetime-local" value={value} onInput={(event) => onInput(event.currentTarget.value)} />
    </div>
  );
}

/**
 * Status boxes apply at once (one click, one answer); typed fields apply with Enter or the
 * Apply button, so the list does not reload on every keystroke. The URL is the truth: the form
 * follows it when it changes (back button, a link).
 */
export function TaskFiltersForm({ filters, onApply }: { filters: TaskFilters; onApply: (filters: TaskFilters) => void }) {
  const knownNames = useKnownTaskNames();
  const [values, setValues] = useState(() => formValues(filters));
  const urlKey = JSON.stringify(filters);
  useEffect(() => setValues(formValues(filters)), [urlKey]);

  const toggleStatus = (status: TaskStatus, checked: boolean) => {
    const statuses = TASK_STATUSES.filter((s) => (s === status ? checked : values.statuses.includes(s)));
    const next = { ...values, statuses };
    setValues(next);
    onApply(toFilters(next));
  };
  const submit = (event: Event) => {
    event.preventDefault();
    onApply(toFilters(values));
  };

  return (
    <form class="filters card" onSubmit={submit} aria-label="Filter tasks">
      <fieldset class="field status-boxes">
        <legend>Status</legend>
        {TASK_STATUSES.map((status) => (
          <label key={status} class="checkbox">
            <input
              type="checkbox"
              name="status"
              value={status}
              checked={values.statuses.includes(status)}
              onChange={(event) => toggleStatus(status, event.currentTarget.checked)}
            />
            {status}
          </label>
        ))}
      </fieldset>
      <div class="field">
        <label for="filter-task-name">Task name</label>
        <input
          id="filter-task-name"
          type="search"
          list="known-task-names"
          value={values.taskName}
          onInput={(event) => setValues({ ...values, taskName: event.currentTarget.value })}
        />
        <datalist id="known-task-names">
          {knownNames.map((name) => (
            <option key={name} value={name} />
          ))}
        </datalist>
      </div>
      <TimeBound
        id="filter-created-after"
        label="Created from"
        value={values.createdAfter}
        onInput={(createdAfter) => setValues({ ...values, createdAfter })}
      />
      <TimeBound
        id="filter-created-before"
        label="Created before"
        value={values.createdBefore}
        onInput={(createdBefore) => setValues({ ...values, createdBefore })}
      />
      <div class="actions">
        <button type="submit" class="primary">
          Apply
        </button>
        <button
          type="button"
          onClick={() => {
            setValues(formValues(NO_FILTERS));
            onApply(NO_FILTERS);
          }}
        >
          Clear filters
        </button>
      </div>
    </form>
  );
}
