/** What a command writes to: stdout for its results, stderr for everything said to people. */
export interface TextStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface Streams {
  stdout: TextStream;
  stderr: TextStream;
}

/**
 * Keeps `--json` output clean: in JSON mode stdout carries only JSON (one value, or one per
 * line for lists), and every human word goes to stderr. Without `--json`, results are text on
 * stdout, so `taskforge tasks add noop` can still be captured by a script.
 */
export class Output {
  /** Called before anything is written to stdout, e.g. so a progress bar can step aside. */
  beforeStdout: (() => void) | undefined;

  constructor(
    readonly json: boolean,
    readonly streams: Streams = { stdout: process.stdout, stderr: process.stderr },
  ) {}

  /** A result: `value` as one JSON line with --json, otherwise `human` (nothing when it is empty). */
  result(value: unknown, human: string | (() => string)): void {
    if (this.json) return this.stdout(`${JSON.stringify(value)}\n`);
    const text = typeof human === 'function' ? human() : human;
    if (text !== '') this.stdout(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** Human text on stdout, never in --json mode (tables, the live stats view). */
  text(text: string): void {
    if (!this.json) this.stdout(text);
  }

  /** A message for people: stderr, whatever the mode. */
  note(text: string): void {
    this.streams.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  get stdoutIsTTY(): boolean {
    return this.streams.stdout.isTTY === true;
  }

  get stderrIsTTY(): boolean {
    return this.streams.stderr.isTTY === true;
  }

  private stdout(text: string): void {
    this.beforeStdout?.();
    this.streams.stdout.write(text);
  }
}
