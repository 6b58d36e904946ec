import type { DynamicModule, Type } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { addTask, getTask, parseConfig, type NewTask, type Pool, type Task, type TaskStatus } from '@taskforge/core';
import { waitFor } from '../../../test/support/wait-for.js';
import { createWorkerApp } from '../src/create-worker-app.js';

export { waitFor };

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
): Promise<INestApplicationContext> {
  const app = await createWorkerApp(testWorkerConfig(databaseUrl, options.env), { imports: options.imports });
  await app.init();
  return app;
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
