import { formatJson } from '../lib/format';

/** JSON, indented, in a scrollable block that keeps long payloads from stretching the page. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <pre class="json" aria-label={label} tabIndex={0}>
      {value === null || value === undefined ? 'null' : formatJson(value)}
    </pre>
  );
}
