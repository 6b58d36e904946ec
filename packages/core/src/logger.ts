import { pino, type DestinationStream, type Logger } from 'pino';
import type { LogLevel } from './config/config-schema.js';

export type { Logger } from 'pino';

/**
 * Structured JSON logs on stdout; one logger per process, children carry context. `destination`
 * takes the JSON lines instead of stdout (`npm start` prettifies them for a terminal).
 */
export function createLogger(options: { level: LogLevel; name: string; destination?: DestinationStream }): Logger {
  const settings = { name: options.name, level: options.level };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}

/**
 * pino behind the method names NestJS calls on an application logger (`log`, `error`,
 * `warn`, `debug`, `verbose`, `fatal`), without core importing NestJS: the shape matches
 * Nest's LoggerService interface structurally. Nest passes its context name as the last
 * string argument and, for errors, a stack before it.
 */
export class StructuredLogger {
  constructor(readonly pino: Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace' | 'fatal', message: unknown, rest: unknown[]): void {
    if (!this.pino.isLevelEnabled(level)) return;
    const fields: Record<string, unknown> = {};
    const strings = rest.filter((item): item is string => typeof item === 'string');
    if (strings.length > 0) fields.context = strings[strings.length - 1];
    if (strings.length > 1) fields.stack = strings[0];
    for (const item of rest) if (item !== null && typeof item === 'object') Object.assign(fields, item);
    if (message instanceof Error) this.pino[level]({ ...fields, err: message }, message.message);
    else if (message !== null && typeof message === 'object') this.pino[level]({ ...fields, ...message });
    else this.pino[level](fields, String(message));
  }
}
