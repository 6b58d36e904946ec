import type { DynamicModule, Type } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { addTask, getTask, parseConfig, type NewTask, type Pool, type Task, type TaskStatus } from '@taskforge/core';
import { createWorkerApp } from '../src/create-worker-app.js';

/** Fast, quiet settings for tests: short polls and retries in milliseconds. */
export function testWorkerConfig(databaseUrl: string, overrides: Record<string, string> = {}) {
  return parseConfig({
    DATABASE_URL: databaseUrl,
    LOG_LEVEL: 'silent',
    WORKER_POLLING_INTERVAL_MS: '20',
    RETRY_BASE_DELAY_MS: '1',
    RETRY_MAX_DELAY_MS: '5',
    ...overrides,
  });
}

/** A worker app whose claim loop is running (`init()`); close it with `app.close()`. */
export async function startWorkerApp(
  databaseUrl: string,
  options: { env?: Record<string, string>; imports?: Array<Type | DynamicModule> } = {},
): Promise<NestFastifyApplication> {
  const app = await createWorkerApp(testWorkerConfig(databaseUrl, options.env), { imports: options.imports });
  await app.init();
  return app;
}

/**
 * Polls `check` every `intervalMs` until it returns something other than undefined, null or
 * false, and returns that; fails after `timeoutMs` with `description` and the last value seen.
 */
export async function waitFor<T>(
  description: string,
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 20 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<Exclude<T, undefined | null | false>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    last = await check();
    if (last !== undefined && last !== null && last !== false) return last as Exclude<T, undefined | null | false>;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${description} (last value: ${JSON.stringify(last)})`);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

/** A task reaching `status`; for `failed`, only once it failed for good (no retry scheduled). */
export function waitForTask(pool: Pool, id: string, status: TaskStatus): Promise<Task> {
  return waitFor(`task ${id} to be ${status}`, async () => {
    const task = await getTask(pool, id);
    if (task.status !== status) return undefined;
    if (status === 'failed' && task.next_retry_at !== null) return undefined;
    return task;
  });
}

/** addTask with max_retries 0 unless given. */
export function add(pool: Pool, task: Omit<NewTask, 'max_retries'> & { max_retries?: number }): Promise<Task> {
  return addTask(pool, { max_retries: 0, ...task });
}
