import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

/** Turns one JSON log line (without its newline) into what a person reads, newline included. */
export type Prettify = (line: string) => string;

/**
 * pino-pretty's shape for `npm start`: local time, level, the process's name, Nest's context
 * before the message, the other fields after it on the same line (one line per event).
 */
const PRETTY_OPTIONS = {
  translateTime: 'SYS:HH:MM:ss.l',
  ignore: 'pid,hostname,context',
  messageFormat: '{if context}[{context}] {end}{msg}',
  singleLine: true,
};

/**
 * pino-pretty's formatter when `output` is a terminal, else undefined: the lines stay JSON, for
 * a file, a pipe or a log collector. pino-pretty is a devDependency, there when `npm start` runs
 * from the repository; where it cannot be loaded (a production install) the lines stay JSON too.
 */
export async function terminalPrettifier(
  output: { isTTY?: boolean } = process.stdout,
  load: () => Promise<{ prettyFactory: (options: typeof PRETTY_OPTIONS) => (input: string) => string }> = () => import('pino-pretty'),
): Promise<Prettify | undefined> {
  if (!output.isTTY) return undefined;
  try {
    const { prettyFactory } = await load();
    return prettyFactory(PRETTY_OPTIONS);
  } catch {
    return undefined;
  }
}

/** A pino destination (createLogger's `destination`) writing each JSON line through `prettify` to `write`. */
export function prettyDestination(
  prettify: Prettify,
  write: (text: string) => void = (text) => process.stdout.write(text),
): { write(line: string): void } {
  return { write: (line: string) => write(prettify(line.replace(/\n$/, ''))) };
}

/**
 * Reads a child's JSON log lines from `source` and writes them through `prettify` (lines that are
 * not JSON pass through as they are). Resolves once `source` has ended and every line is out.
 */
export function pipePretty(
  source: Readable,
  prettify: Prettify,
  write: (text: string) => void = (text) => process.stdout.write(text),
): Promise<void> {
  const lines = createInterface({ input: source, crlfDelay: Infinity });
  lines.on('line', (line) => write(prettify(line)));
  return new Promise((resolve) => lines.once('close', resolve));
}
