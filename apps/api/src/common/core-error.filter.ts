import { type ArgumentsHost, Catch, type ExceptionFilter, HttpException } from '@nestjs/common';
import {
  ConflictError,
  InvalidInputError,
  isConnectionError,
  NotFoundError,
  TaskStateConflictError,
  type StructuredLogger,
} from '@taskforge/core';
import { STATUS_CODES } from 'node:http';
import type { FastifyReply, FastifyRequest } from 'fastify';

export interface CoreErrorFilterOptions {
  /** API_MAX_BODY_BYTES, named in the 413's message. */
  maxBodyBytes: number;
}

interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  [extra: string]: unknown;
}

/**
 * The one place errors become HTTP: core's error kinds (InvalidInputError, NotFoundError,
 * ConflictError) map to 400/404/409, an unreachable database to 503, values PostgreSQL rejects
 * as data (SQLSTATE class 22) to 400; anything else is a 500 that is logged, never shown with
 * its internals.
 */
@Catch()
export class CoreErrorFilter implements ExceptionFilter {
  constructor(
    private readonly logger: StructuredLogger,
    private readonly options: CoreErrorFilterOptions,
  ) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const reply = host.switchToHttp().getResponse<FastifyReply>();
    const request = host.switchToHttp().getRequest<FastifyRequest>();
    const body = this.bodyProblem(exception, request) ?? this.toBody(exception);
    if (body.statusCode >= 500 && body.statusCode !== 503) this.logger.error(exception, 'CoreErrorFilter');
    void reply.status(body.statusCode).send(body);
  }

  /**
   * Fastify refuses some bodies before any route runs; its own messages do not say what to do.
   * Nest hands them over wrapped in an HttpException whose `cause` is Fastify's error. (The rest
   * of its 4xx errors pass through toBody with their message.)
   */
  private bodyProblem(exception: unknown, request: FastifyRequest): ErrorBody | null {
    const fastifyError = exception instanceof HttpException ? exception.cause : exception;
    switch ((fastifyError as { code?: unknown } | null)?.code) {
      case 'FST_ERR_CTP_BODY_TOO_LARGE':
        return {
          statusCode: 413,
          error: 'Payload Too Large',
          message: `body is larger than the limit of ${this.options.maxBodyBytes} bytes (API_MAX_BODY_BYTES)`,
        };
      case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
        return {
          statusCode: 415,
          error: 'Unsupported Media Type',
          message: `content-type ${JSON.stringify(request.headers['content-type'] ?? '')} is not supported: send JSON with content-type application/json`,
        };
      case 'FST_ERR_CTP_INVALID_JSON_BODY':
        return { statusCode: 400, error: 'Bad Request', message: 'body is not valid JSON (content-type is application/json)' };
      case 'FST_ERR_CTP_EMPTY_JSON_BODY':
        return { statusCode: 400, error: 'Bad Request', message: 'body is empty but content-type is application/json: send a JSON value' };
      default:
        return null;
    }
  }

  private toBody(exception: unknown): ErrorBody {
    if (exception instanceof HttpException) {
      const response = exception.getResponse();
      const status = exception.getStatus();
      if (typeof response === 'object') {
        const body = response as ErrorBody;
        // `error` defaults to the status text, for bodies such as the health check's that leave it out.
        return { ...body, statusCode: status, error: body.error ?? STATUS_CODES[status] ?? 'Error' };
      }
      return { statusCode: status, error: STATUS_CODES[status] ?? 'Error', message: response };
    }
    if (exception instanceof InvalidInputError) {
      const problem = { field: exception.field, message: exception.problem };
      return { statusCode: 400, error: 'Bad Request', message: exception.message, errors: [problem] };
    }
    if (exception instanceof NotFoundError) return { statusCode: 404, error: 'Not Found', message: exception.message };
    if (exception instanceof ConflictError) {
      // A task's conflict also says which status it is in, so a client can decide what to do next.
      const status = exception instanceof TaskStateConflictError ? { status: exception.currentStatus } : {};
      return { statusCode: 409, error: 'Conflict', message: exception.message, ...status };
    }
    if (isConnectionError(exception)) {
      return { statusCode: 503, error: 'Service Unavailable', message: 'database unavailable, try again shortly' };
    }
    const code = (exception as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('22')) {
      return { statusCode: 400, error: 'Bad Request', message: `invalid value: ${(exception as Error).message}` };
    }
    const fastifyStatus = (exception as { statusCode?: unknown } | null)?.statusCode;
    if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
      return { statusCode: fastifyStatus, error: STATUS_CODES[fastifyStatus] ?? 'Error', message: (exception as Error).message };
    }
    return { statusCode: 500, error: 'Internal Server Error', message: 'internal error' };
  }
}
