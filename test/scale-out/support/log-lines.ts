/** One line of a process's structured (pino) log. */
export interface LogLine {
  level: number;
  /** Epoch milliseconds, on the same clock as the test (one machine). */
  time: number;
  msg: string;
  [field: string]: unknown;
}

export const WARN = 40;

/** The JSON log lines in a process's output; anything else (a stack trace, say) is skipped. */
export function logLines(output: string): LogLine[] {
  const lines: LogLine[] = [];
  for (const text of output.split('\n')) {
    if (!text.startsWith('{')) continue;
    try {
      const line = JSON.parse(text) as LogLine;
      if (typeof line.msg === 'string' && typeof line.time === 'number') lines.push(line);
    } catch {
      // A line cut in half by the pipe, or not ours.
    }
  }
  return lines;
}

/** Lines whose message starts with `message`. */
export function linesSaying(output: string, message: string): LogLine[] {
  return logLines(output).filter((line) => line.msg.startsWith(message));
}
