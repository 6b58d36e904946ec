/**
 * Left-aligned columns two spaces apart, a header row first. Cells are single-line: newlines
 * become spaces and cells over `maxCell` characters end in `…`.
 */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[], maxCell = 60): string {
  const cells = [headers, ...rows].map((row) => row.map((cell) => clip(cell, maxCell)));
  const widths = headers.map((_, column) => Math.max(...cells.map((row) => [...(row[column] ?? '')].length)));
  return cells
    .map((row) =>
      row
        .map((cell, column) => (column === row.length - 1 ? cell : cell + ' '.repeat(widths[column]! - [...cell].length)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function clip(text: string, max: number): string {
  const single = text.replace(/\s*\n\s*/g, ' ');
  const chars = [...single];
  return chars.length > max ? `${chars.slice(0, max - 1).join('')}…` : single;
}

/** `key  value` lines with the keys padded to one width. */
export function formatFields(fields: readonly (readonly [string, string])[]): string {
  const width = Math.max(...fields.map(([key]) => key.length));
  return fields.map(([key, value]) => `${key.padEnd(width)}  ${value}`).join('\n');
}
