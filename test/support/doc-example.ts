import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/**
 * The code of the first ```typescript (or ```ts) block after the line `marker` (an HTML comment
 * such as `<!-- enqueue-example -->`) in a Markdown file of the repository, exactly as written
 * there: what a spec type-checks and runs so the docs cannot show code that does not work.
 * Throws, naming the file and the marker, when either is missing, so deleting or moving an
 * example fails its spec instead of quietly testing nothing.
 */
export function docExample(file: string, marker: string): string {
  const path = join(REPO_ROOT, file);
  if (!existsSync(path)) throw new Error(`${file} does not exist: the ${marker} example its spec runs was there`);
  const lines = readFileSync(path, 'utf8').split(/\r?\n/);
  const markerLine = lines.findIndex((line) => line.trim() === marker);
  if (markerLine === -1)
    throw new Error(`${file} has no ${marker} line: put it back above the example, or point the spec at where it moved`);
  const block = /^```(?:typescript|ts)[ \t]*\n([\s\S]*?)^```/m.exec(lines.slice(markerLine + 1).join('\n'));
  if (!block) throw new Error(`${file} has ${marker} but no \`\`\`typescript code block after it`);
  return block[1]!;
}
