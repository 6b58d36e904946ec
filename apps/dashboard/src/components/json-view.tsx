import { formatJson } from '../lib/format';
import { ScrollableText } from './scrollable-text';

/** JSON, indented, in a scrollable block that keeps long payloads from stretching the page. */
export function JsonView({ value, label }: { value: unknown; label: string }) {
  return (
    <ScrollableText label={label} kind="json">
      {value === null || value === undefined ? 'null' : formatJson(value)}
    </ScrollableText>
  );
}
