import { describeJsonError, type JsonInput } from '../../lib/parse-json-input';

interface PayloadFieldProps {
  text: string;
  parsed: JsonInput;
  /** The API's word on the payload, when it refused it. */
  error: string | undefined;
  onInput: (text: string) => void;
}

/** The payload as JSON text, checked as it is typed; the mistake's line and column are shown. */
export function PayloadField({ text, parsed, error, onInput }: PayloadFieldProps) {
  const problem = parsed.ok ? error : describeJsonError(parsed);
  return (
    <div class="field">
      <label for="submit-payload">Payload (JSON)</label>
      <textarea
        id="submit-payload"
        rows={8}
        spellcheck={false}
        value={text}
        aria-invalid={problem ? true : undefined}
        aria-describedby={problem ? 'payload-hint payload-error' : 'payload-hint'}
        onInput={(event) => onInput(event.currentTarget.value)}
      />
      <div id="payload-hint" class="hint">
        Any JSON value, passed to the handler as is. Leave it blank for none (null).
      </div>
      {problem ? (
        <div id="payload-error" class="field-error" role="alert">
          {parsed.ok ? problem : `Not valid JSON: ${problem}`}
        </div>
      ) : null}
    </div>
  );
}
