/**
 * Reads JSON typed into a form, and when it does not parse, says where: line and column
 * rather than a raw character offset, since that is what a person looks for in a textarea.
 */
export type JsonInput =
  { ok: true; value: unknown; empty: boolean } | { ok: false; message: string; line: number | null; column: number | null };

/** `empty` is true for blank text: the caller decides what nothing means (no payload, say). */
export function parseJsonInput(text: string): JsonInput {
  if (!text.trim()) return { ok: true, value: undefined, empty: true };
  try {
    return { ok: true, value: JSON.parse(text), empty: false };
  } catch (caught) {
    const raw = caught instanceof Error ? caught.message : String(caught);
    const where = errorLocation(raw, text);
    return { ok: false, message: describe(raw), ...where };
  }
}

/** JSON.parse's own message without the location part, which errorLocation reports. */
function describe(message: string): string {
  return message
    .replace(/^JSON\.parse: /, '')
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ at line \d+ column \d+ of the JSON data$/, '')
    .replace(/, "[^]*" is not valid JSON$/, '');
}

/**
 * Engines word it differently: V8 says `at position 10 (line 1 column 11)` or just
 * `at position 10`, Firefox `at line 1 column 11`; V8 names no place when the text simply
 * ends early ("Unexpected end of JSON input"), which is then the end of the text.
 */
function errorLocation(message: string, text: string): { line: number | null; column: number | null } {
  const lineColumn = /line (\d+) column (\d+)/.exec(message);
  if (lineColumn) return { line: Number(lineColumn[1]), column: Number(lineColumn[2]) };
  const position = /at position (\d+)/.exec(message);
  if (position) return lineAndColumn(text, Number(position[1]));
  if (/end of (JSON )?(input|data)/i.test(message)) return lineAndColumn(text, text.length);
  return { line: null, column: null };
}

/** 1-based line and column of a 0-based character offset. */
export function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before.at(-1)!.length + 1 };
}

export function describeJsonError(input: Extract<JsonInput, { ok: false }>): string {
  return input.line === null ? input.message : `${input.message} (line ${input.line}, column ${input.column})`;
}
