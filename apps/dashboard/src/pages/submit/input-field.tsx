interface InputFieldProps {
  id: string;
  label: string;
  value: string;
  hint?: string;
  error: string | undefined;
  type?: 'text' | 'number';
  onInput: (value: string) => void;
}

/** A labelled input with its hint and the API's word on it, wired for screen readers. */
export function InputField({ id, label, value, hint, error, type = 'text', onInput }: InputFieldProps) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;
  const common = {
    id,
    value,
    'aria-invalid': error ? true : undefined,
    'aria-describedby': describedBy,
    onInput: (event: { currentTarget: HTMLInputElement }) => onInput(event.currentTarget.value),
  };
  return (
    <div class="field">
      <label for={id}>{label}</label>
      {type === 'number' ? <input type="number" inputMode="numeric" step={1} {...common} /> : <input type="text" {...common} />}
      {hint ? (
        <div id={`${id}-hint`} class="hint">
          {hint}
        </div>
      ) : null}
      {error ? (
        <div id={`${id}-error`} class="field-error">
          {error}
        </div>
      ) : null}
    </div>
  );
}
