/** A column heading: its text, or that with a tooltip explaining an abbreviated heading, or right-aligned for numbers. */
export type Column = string | { label: string; title?: string; numeric?: boolean };

/** A table's header row, from its columns in order; each heading is scoped to its column for screen readers. */
export function TableHead({ columns }: { columns: readonly Column[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          const { label, title, numeric } = typeof column === 'string' ? { label: column } : column;
          return (
            <th key={label} scope="col" title={title} class={numeric ? 'num' : undefined}>
              {label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}
