import { ApiError, NetworkError, UnauthorizedError, WaitTimeoutError } from '@taskforge/client';
import { CommanderError } from 'commander';
import { CliError } from './cli-error.js';
import { EXIT, type ExitCode } from './exit-codes.js';

export interface Failure {
  exitCode: ExitCode;
  message: string;
}

/**
 * Every error a command can end with, as an exit code and one message. The API's own words
 * are kept (the client puts them in `message`; they name the field or state that was wrong).
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (error instanceof CommanderError) return { exitCode: EXIT.usage, message: error.message.replace(/^error: /, '') };
  if (error instanceof UnauthorizedError) {
    return { exitCode: EXIT.refused, message: 'the API refused the token (401): set API_TOKEN or pass --token' };
  }
  if (error instanceof ApiError) {
    const exitCode = error.status >= 500 ? EXIT.unavailable : EXIT.refused;
    return { exitCode, message: `the API answered ${error.status}: ${error.message}` };
  }
  if (error instanceof NetworkError) return { exitCode: EXIT.unavailable, message: `cannot reach the API: ${error.message}` };
  if (error instanceof WaitTimeoutError) return { exitCode: EXIT.timedOut, message: error.message };
  // Anything else is the API or this machine misbehaving, not the caller's mistake.
  return { exitCode: EXIT.unavailable, message: error instanceof Error ? error.message : String(error) };
}

/** The items of a refused batch, from the 400's `errors` list (`index`, `field`, `message`). */
export function batchItemErrors(error: unknown): { index: number; field: string; message: string }[] {
  if (!(error instanceof ApiError)) return [];
  return error.fieldErrors.flatMap((item) =>
    typeof item.index === 'number' ? [{ index: item.index, field: item.field, message: item.message }] : [],
  );
}

/** Connection errors that mean the request never left this machine. */
const NEVER_SENT = ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH'];

/** True when the request may have reached the API and been acted on, though no answer came back. */
export function outcomeUnknown(error: unknown): boolean {
  if (!(error instanceof NetworkError)) return false;
  for (let cause: unknown = error.cause; cause instanceof Error; cause = cause.cause) {
    if (NEVER_SENT.includes((cause as NodeJS.ErrnoException).code ?? '')) return false;
  }
  return true;
}
