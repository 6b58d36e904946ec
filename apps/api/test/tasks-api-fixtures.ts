import { randomUUID } from 'node:crypto';
import { claimTasks, completeTasks, failTask, type Task } from '@taskforge/core';
import { expect } from 'vitest';
import { useApi } from './api-test-app.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;
export const TASK_FIELDS = [
  'id',
  'task_name',
  'payload',
  'status',
  'priority',
  'scheduled_at',
  'attempts',
  'max_retries',
  'max_retries_source',
  'last_error',
  'next_retry_at',
  'locked_by',
  'locked_at',
  'lease_expires_at',
  'timeout_ms',
  'result',
  'created_at',
  'updated_at',
  'started_at',
  'finished_at',
  'idempotency_key',
  'schedule_id',
  'schedule_tick',
  'attempt_history',
].sort();
export const WORKER = 'spec-worker';
export const JSON_HEADERS = { 'content-type': 'application/json' };

export type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

/** Checks the error body shape every API error shares, and its message. */
export function expectError(res: { statusCode: number; json(): any }, statusCode: number, messagePattern: RegExp | string) {
  const body = res.json();
  expect(body.statusCode).toBe(statusCode);
  expect(res.statusCode).toBe(statusCode);
  expect(typeof body.error).toBe('string');
  expect(typeof body.message).toBe('string');
  if (typeof messagePattern === 'string') expect(body.message).toContain(messagePattern);
  else expect(body.message).toMatch(messagePattern);
  return body;
}

/**
 * The tasks API in-process on a database of its own, with helpers to send requests and to put
 * tasks into any state (through core's worker-side functions).
 */
export function useTasksApi() {
  const api = useApi();

  /** A task name no other test uses, so claims in one test never take another test's tasks. */
  const uniqueName = (prefix = 'spec') => `${prefix}-${randomUUID()}`;

  function send(method: Method, url: string, payload?: unknown) {
    return api.app.inject({ method, url, payload: payload as never });
  }

  /** Sends raw bytes, for bodies that are not what JSON.stringify would produce. */
  function sendRaw(method: Method, url: string, body: string | undefined, headers: Record<string, string> = JSON_HEADERS) {
    return api.app.inject({ method, url, payload: body, headers });
  }

  async function createTask(body: Record<string, unknown>): Promise<string> {
    const res = await send('POST', '/tasks', body);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id;
  }

  async function getTask(id: string) {
    const res = await send('GET', `/tasks/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  }

  /** Creates a task and drives it to `state` with core's worker-side functions. */
  async function taskIn(state: 'pending' | 'running' | 'completed' | 'failed' | 'failed-for-good' | 'cancelled') {
    const name = uniqueName(state);
    const id = await createTask({ task_name: name, max_retries: 1 });
    if (state === 'pending') return id;
    if (state === 'cancelled') {
      expect((await send('DELETE', `/tasks/${id}`)).statusCode).toBe(204);
      return id;
    }
    const [claimed] = await claimTasks(api.db.pool, { workerId: WORKER, taskNames: [name], limit: 1 });
    expect(claimed?.id).toBe(id);
    const attempt = { id, attempt: (claimed as Task).attempts, workerId: WORKER };
    if (state === 'completed') {
      expect(await completeTasks(api.db.pool, { workerId: WORKER, tasks: [attempt] })).toEqual([id]);
    } else if (state === 'failed' || state === 'failed-for-good') {
      const failed = await failTask(api.db.pool, {
        ...attempt,
        error: 'boom',
        retryDelayMs: 3_600_000,
        retryable: state === 'failed',
      });
      expect(failed).not.toBeNull();
    }
    return id;
  }
  return { api, uniqueName, send, sendRaw, createTask, getTask, taskIn };
}
