import { useEffect, useState } from 'preact/hooks';
import { useLiveTaskNames } from '../../lib/use-task-names';

/**
 * The select's value for "a name no live worker lists". No task name can equal it: POST /tasks
 * trims names, so none starts with a space.
 */
const OTHER = ' other';

interface TaskNameFieldProps {
  /** From the URL (`#/submit?task_name=…`): chosen when the form first shows. */
  initial: string;
  error: string | undefined;
  onChange: (name: string) => void;
}

/**
 * Picks from the names live workers serve (a task under another name waits until a worker
 * for it starts), with "other…" for any name. Without a live worker it is a plain text field,
 * and says so.
 */
export function TaskNameField({ initial, error, onChange }: TaskNameFieldProps) {
  const { names, workerCount, error: loadError } = useLiveTaskNames();
  const [choice, setChoice] = useState<string | null>(null);
  const [other, setOther] = useState(initial);

  // The first list of names decides the starting choice (keeping what was typed or given in the
  // URL); later answers only refresh the options.
  useEffect(() => {
    if (choice !== null || !names?.length) return;
    setChoice(other === '' ? '' : names.includes(other) ? other : OTHER);
  }, [names, choice, other]);

  const useSelect = Boolean(names?.length) || (Boolean(choice) && choice !== OTHER);
  const name = useSelect && choice !== OTHER ? (choice ?? '') : other;
  // eslint-disable-next-line react-hooks/exhaustive-deps -- reports a new name only: the parent passes a new onChange on every render
  useEffect(() => onChange(name), [name]);

  // A chosen name whose worker has gone stays listed, so the select never jumps by itself.
  const options = names && choice && choice !== OTHER && !names.includes(choice) ? [...names, choice] : (names ?? []);
  const describedBy = ['task-name-hint', error ? 'task-name-error' : ''].filter(Boolean).join(' ');

  return (
    <div class="field">
      {useSelect ? (
        <>
          <label for="submit-task-name">Task name</label>
          <select
            id="submit-task-name"
            value={choice ?? ''}
            aria-describedby={describedBy}
            onChange={(event) => setChoice(event.currentTarget.value)}
          >
            {!choice ? <option value="">Choose a task name…</option> : null}
            {options.map((option) => (
              <option key={option} value={option}>
                {option}
                {names?.includes(option) ? '' : ' (no live worker)'}
              </option>
            ))}
            <option value={OTHER}>other…</option>
          </select>
          {choice === OTHER ? (
            <>
              <label for="submit-task-name-other" class="sub-label">
                Other task name
              </label>
              <input
                id="submit-task-name-other"
                value={other}
                aria-invalid={error ? true : undefined}
                onInput={(event) => setOther(event.currentTarget.value)}
              />
            </>
          ) : null}
        </>
      ) : (
        <>
          <label for="submit-task-name">Task name</label>
          <input
            id="submit-task-name"
            value={other}
            aria-describedby={describedBy}
            aria-invalid={error ? true : undefined}
            onInput={(event) => setOther(event.currentTarget.value)}
          />
        </>
      )}
      <div id="task-name-hint" class="hint">
        {loadError
          ? `Could not list the live workers (${loadError.message}); type the name.`
          : names === undefined
            ? 'Looking for live workers…'
            : workerCount === 0
              ? 'No worker is live: the task waits in the queue until a worker serving its name starts.'
              : choice === OTHER
                ? 'No live worker serves other names: such a task waits until a worker for it starts.'
                : `Names served by ${workerCount} live worker${workerCount === 1 ? '' : 's'}.`}
      </div>
      {error ? (
        <div id="task-name-error" class="field-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}
