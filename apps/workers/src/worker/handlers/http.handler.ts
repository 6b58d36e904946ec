import { Injectable, type OnModuleInit } from '@nestjs/common';
import { PermanentTaskError } from '@taskforge/core';
import { z } from 'zod';
import { parsePayload } from '../parse-payload.js';
import type { TaskContext, TaskHandler } from '../task-handler.interface.js';
import { TaskRegistryService } from '../task-registry.service.js';
import { fetchFailureReason } from './fetch-failure-reason.js';

const httpPayload = z
  .object({
    url: z.url({ protocol: /^https?$/, error: 'must be an http or https URL' }),
    method: z.enum(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']).default('GET'),
    headers: z.record(z.string(), z.string()).default({}),
    body: z.unknown().optional(),
    timeout_ms: z.number().int().min(1).max(600_000).default(10_000),
  })
  .refine((request) => request.body === undefined || !['GET', 'HEAD'].includes(request.method), {
    path: ['body'],
    message: 'is not allowed with GET or HEAD',
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
    const headers = requestHeaders(request.headers);
    let body: string | undefined;
    if (typeof request.body === 'string') body = request.body;
    else if (request.body !== undefined) {
      body = JSON.stringify(request.body);
      if (!headers.has('content-type')) headers.set('content-type', 'application/json');
    }
    // Our own timer, not AbortSignal.timeout(): inside AbortSignal.any() Node 20 may garbage-collect
    // a timeout signal before it fires (nodejs/node#57736), and the request would then wait for the
    // server however long it takes. The timer is held here and cleared when the request settles.
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), request.timeout_ms);
    const signal = AbortSignal.any([context.signal, timeout.signal]);
    const describe = `${request.method} ${request.url}`;
    try {
      const response = await fetch(request.url, { method: request.method, headers, body, signal });
      const text = (await response.text()).slice(0, MAX_BODY_CHARS);
      if (!response.ok) {
        // The message becomes last_error; keep it short (the body may be a whole page).
        throw new HttpStatusError(`${describe} answered ${response.status}: ${text.slice(0, 200)}`);
      }
      return { status: response.status, body: text };
    } catch (error) {
      if (error instanceof HttpStatusError) throw error;
      if (signal.aborted && !context.signal.aborted) {
        throw new Error(`${describe} timed out after ${request.timeout_ms} ms`, { cause: error });
      }
      throw new Error(`${describe} failed: ${fetchFailureReason(error)}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}

class HttpStatusError extends Error {}

/** Header names or values fetch refuses are a bad payload, not a reason to retry. */
function requestHeaders(given: Record<string, string>): Headers {
  try {
    return new Headers(given);
  } catch (error) {
    throw new PermanentTaskError(`invalid payload for http: headers: ${(error as Error).message}`);
  }
}
