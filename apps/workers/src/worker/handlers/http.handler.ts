import { Injectable, type OnModuleInit } from '@nestjs/common';
import { z } from 'zod';
import { parsePayload } from '../parse-payload.js';
import type { TaskContext, TaskHandler } from '../task-handler.interface.js';
import { TaskRegistryService } from '../task-registry.service.js';

const httpPayload = z.object({
  url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
  method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
  headers: z.record(z.string(), z.string()).default({}),
  body: z.unknown().optional(),
  timeout_ms: z.number().int().min(1).max(600_000).default(10_000),
});

/** Keeps at most this much of a response body in the task's result. */
const MAX_BODY_CHARS = 4_096;

export interface HttpTaskResult {
  status: number;
  body: string;
}

/**
 * `http` `{ url, method?, headers?, body?, timeout_ms? }`: makes the request; a non-2xx
 * answer, a network error or the timeout fails the attempt (and is retried). A body that is
 * not a string is sent as JSON.
 */
@Injectable()
export class HttpTaskHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'http';

  constructor(private readonly taskRegistry: TaskRegistryService) {}

  onModuleInit() {
    this.taskRegistry.register(HttpTaskHandler.TASK_NAME, this);
  }

  async execute(payload: unknown, _taskId: string, context: TaskContext): Promise<HttpTaskResult> {
    const request = parsePayload(httpPayload, payload, HttpTaskHandler.TASK_NAME);
    const headers = new Headers(request.headers);
    let body: string | undefined;
    if (typeof request.body === 'string') body = request.body;
    else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    const signal = AbortSignal.any([context.signal, AbortSignal.timeout(request.timeout_ms)]);
    let response: Response;
    try {
      response = await fetch(request.url, { method: request.method, headers, body, signal });
    } catch (error) {
      if (signal.aborted && !context.signal.aborted) {
        throw new Error(`${request.method} ${request.url} timed out after ${request.timeout_ms} ms`);
      }
      throw new Error(`${request.method} ${request.url} failed: ${(error as Error).cause ?? (error as Error).message}`);
    }
    const text = (await response.text()).slice(0, MAX_BODY_CHARS);
    if (!response.ok) {
      // The message becomes last_error, a text column, which cannot hold NUL: a binary body would
      // make the failure unrecordable and leave the task running for good.
      const excerpt = text.slice(0, 200).replaceAll('\u0000', '\uFFFD');
      throw new Error(`${request.method} ${request.url} answered ${response.status}: ${excerpt}`);
    }
    return { status: response.status, body: text };
  }
}
