import { pino, type Logger } from 'pino';
import type { LogLevel } from './config/config-schema.js';

export type { Logger } from 'pino';

/** Structured JSON logs on stdout; one logger per process, children carry context. */
export function createLogger(options: { level: LogLevel; name: string }): Logger {
  return pino({ name: options.name, level: options.level });
}
