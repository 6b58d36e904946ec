import { Injectable } from '@nestjs/common';
import { StructuredLogger } from '@taskforge/core';

/**
 * The worker's logger, injectable into handlers (the seed's `LoggerService`): structured pino
 * logs at LOG_LEVEL, with Nest's method names (`log`, `error`, `warn`, `debug`, `verbose`)
 * and pino's own underneath as `logger.pino` for fields (`logger.pino.info({ id }, 'msg')`).
 */
@Injectable()
export class LoggerService extends StructuredLogger {}
