/**
 * The exit codes scripts can rely on; `taskforge --help` lists them and they never change
 * meaning. When one run has several outcomes (many tasks waited for), the most definite wins:
 * a refusal, then a bad outcome, then a timeout (see `worstOutcome`).
 */
export const EXIT = {
  /** Everything asked for was done, every waited task completed. */
  ok: 0,
  /** The thing asked about ended badly: a waited task failed for good or was cancelled, a migration failed. */
  badOutcome: 1,
  /** The command line is wrong: unknown command or flag, bad value, bad JSON, unreadable file. */
  usage: 2,
  /** The API refused the request (a 4xx: invalid, unauthorised, not found, conflict). */
  refused: 3,
  /** The API or the database could not be reached, or answered with a 5xx. */
  unavailable: 4,
  /** `tasks wait` gave up before every task finished. */
  timedOut: 5,
  /** Stopped by Ctrl-C before the end (the shell's own convention, 128 + SIGINT). */
  interrupted: 130,
} as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export const EXIT_CODES_HELP = `Exit codes:
  0  success (every waited task completed)
  1  what was asked about ended badly: a waited task failed for good or was
     cancelled; a migration failed
  2  usage error: unknown command or flag, bad value, bad JSON, unreadable file
  3  the API refused the request (4xx: invalid, unauthorised, not found, conflict)
  4  cannot reach the API or the database, or it failed (5xx)
  5  tasks wait timed out before every task finished
  130 interrupted by Ctrl-C (tasks add --file reports what was stored)
  With several outcomes the first that applies wins, in the order 4, 3, 1, 5, 0.`;

/** Severity order for runs with several outcomes: unreachable, refused, bad outcome, timed out, ok. */
const PRECEDENCE: readonly ExitCode[] = [
  EXIT.unavailable,
  EXIT.refused,
  EXIT.badOutcome,
  EXIT.timedOut,
  EXIT.interrupted,
  EXIT.usage,
  EXIT.ok,
];

export function worstOutcome(codes: Iterable<ExitCode>): ExitCode {
  let worst: ExitCode = EXIT.ok;
  for (const code of codes) if (PRECEDENCE.indexOf(code) < PRECEDENCE.indexOf(worst)) worst = code;
  return worst;
}
