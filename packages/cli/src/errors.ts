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
 * are kept (they name the field or the state that was wrong).
 */
export function describeFailure(error: unknown): Failure {
  if (error instanceof CliError) return { exitCode: error.exitCode, message: error.message };
  if (error instanceof CommanderError) return { exitCode: EXIT.usage, message: error.message.replace(/^error: /, '') };
  if (error instanceof UnauthorizedError) {
    return { exitCode: EXIT.refused, message: `the API refused the token (401): set API_TOKEN or pass --token` };
  }
  if (error instanceof ApiError) {
    const exitCode = error.status >= 500 ? EXIT.unavailable : EXIT.refused;
    return { exitCode, message: `the API answered ${error.status}: ${apiMessage(error)}` };
  }
  if (error instanceof NetworkError) return { exitCode: EXIT.unavailable, message: `cannot reach the API: ${error.message}` };
  if (error instanceof WaitTimeoutError) return { exitCode: EXIT.timedOut, message: error.message };
  return { exitCode: EXIT.unavailable, message: error instanceof Error ? error.message : String(error) };
}

/** The API's message (`tasks.3.priority must be an integer; …`), falling back on the error's own. */
export function apiMessage(error: ApiError): string {
  const body = error.body as { message?: unknown } | undefined;
  if (body && typeof body.message === 'string') return body.message;
  if (body && Array.isArray(body.message)) return body.message.join('; ');
  return error.message;
}

/** The items of a refused batch, from the 400's `errors` list (`index`, `field`, `message`). */
export function batchItemErrors(error: unknown): { index: number; field: string; message: string }[] {
  if (!(error instanceof ApiError)) return [];
  const errors = (error.body as { errors?: unknown } | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.filter(
    (item): item is { index: number; field: string; message: string } =>
      typeof item === 'object' && item !== null && typeof item.index === 'number' && typeof item.message === 'string',
  );
}

/** True when the request may have reached the API and been acted on, though no answer came. */
export function outcomeUnknown(error: unknown): boolean {
  return error instanceof NetworkError;
}
