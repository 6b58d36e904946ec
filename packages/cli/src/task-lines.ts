import type { TaskInput } from './task-fields.js';
import { taskProblems } from './task-fields.js';

export interface TaskLine {
  /** 1-based line number in the file. */
  line: number;
  task: TaskInput;
}

export interface LineProblem {
  line: number;
  message: string;
}

export interface ParsedTaskLines {
  tasks: TaskLine[];
  problems: LineProblem[];
}

/**
 * JSON-lines: one task object per line. Blank lines are skipped (a trailing newline, a
 * spacer); `\r\n` endings and a leading byte-order mark are accepted. Every line is checked
 * and every bad one reported, not only the first.
 */
export function parseTaskLines(text: string): ParsedTaskLines {
  const tasks: TaskLine[] = [];
  const problems: LineProblem[] = [];
  const lines = text.replace(/^\uFEFF/, '').split('\n');
  lines.forEach((raw, index) => {
    const line = index + 1;
    const source = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (source.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(source);
    } catch (error) {
      problems.push({ line, message: `not valid JSON: ${(error as Error).message}` });
      return;
    }
    const found = taskProblems(value);
    if (found.length > 0) problems.push({ line, message: found.join('; ') });
    else tasks.push({ line, task: value as TaskInput });
  });
  return { tasks, problems };
}

/** `1-3, 7, 9-12`: line numbers (sorted) as ranges, so a report stays short however many lines. */
export function lineRanges(lines: readonly number[]): string {
  const sorted = [...lines].sort((a, b) => a - b);
  const ranges: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j]! + 1) j++;
    ranges.push(i === j ? String(sorted[i]) : `${sorted[i]}-${sorted[j]}`);
    i = j + 1;
  }
  return ranges.join(', ');
}
