import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module, type Type } from '@nestjs/common';
import { addTask } from '@taskforge/core';
import { describe, expect, it } from 'vitest';
import { readmeExample, typeCheck, useGeneratedExample } from '../../test/readme-example.js';
import { add, startWorkerApp, waitForTask } from '../../test/worker-test-app.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerModule } from './worker.module.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Next to the built-in handlers, so the example's relative imports resolve as they would for a real one. Git-ignored. */
const generatedPath = join(here, 'handlers/readme-task-decorator-example.generated.handler.ts');
const brokenPath = join(here, 'handlers/readme-task-decorator-example-broken.generated.handler.ts');

/** The example with all three settings (timeoutMs, concurrency, maxRetries); it replaced the one marked `task-decorator-example`. */
const README_MARKER = '<!-- task-decorator-options-example -->';

/** Used only where README.md is absent or lacks the marker; the test's name says which one was checked. */
const FALLBACK_EXAMPLE = `import { Injectable } from '@nestjs/common';
import { LoggerService } from '../../logger/logger.service.js';
import { TaskContext, TaskHandler } from '../task-handler.interface.js';
import { Task } from '../task.decorator.js';

export interface ResizeImagePayload {
  url: string;
  width: number;
}

// Per worker process at most 2 at once (resizing is memory-hungry), 60 s per attempt, and 5
// retries for tasks submitted without max_retries.
@Task('resize-image', { timeoutMs: 60_000, concurrency: 2, maxRetries: 5 })
@Injectable()
export class ResizeImageHandler implements TaskHandler<ResizeImagePayload> {
  constructor(private readonly logger: LoggerService) {}

  async execute(payload: ResizeImagePayload, taskId: string, context: TaskContext): Promise<{ width: number }> {
    // Implement task logic here; pass context.signal on to anything that can be aborted.
    this.logger.log(\`resize-image \${taskId}: \${payload.url} to \${payload.width} px (attempt \${context.attempt} of \${context.maxRetries + 1})\`);
    return { width: payload.width };
  }
}
`;

describe("README's @Task handler example", () => {
  const example = readmeExample(README_MARKER, FALLBACK_EXAMPLE);
  const workspace = useGeneratedExample(example.source, { generatedPath, brokenPath });

  it(`type-checks with the workers' compiler settings (example taken from ${example.from})`, () => {
    expect(typeCheck(generatedPath)).toEqual([]);
  });

  it('the type check does catch mistakes (a payload field of the wrong type)', () => {
    const broken = example.source.replace('return { width: payload.width };', 'return { width: payload.width.toUpperCase() };');
    expect(broken).not.toBe(example.source);
    writeFileSync(brokenPath, broken);
    try {
      expect(typeCheck(brokenPath).join('\n')).toMatch(/TS2339/);
    } finally {
      rmSync(brokenPath, { force: true });
    }
  });

  it('is discovered and runs its task to completion in a worker app, with its timeoutMs, concurrency and maxRetries applied', async () => {
    const exports = (await import(/* @vite-ignore */ generatedPath)) as Record<string, unknown>;
    const handlers = Object.values(exports).filter((value): value is Type => typeof value === 'function');
    expect(handlers).toHaveLength(1);

    @Module({ imports: [WorkerModule], providers: [handlers[0]!] })
    class ReadmeExampleModule {}

    workspace.app = await startWorkerApp(workspace.db.url, { imports: [ReadmeExampleModule] });
    const registry = workspace.app.get(TaskRegistryService);
    expect(registry.names()).toContain('resize-image');
    expect(registry.timeoutMsFor('resize-image')).toBe(60_000);
    expect(registry.concurrencyFor('resize-image')).toBe(2);
    expect(registry.maxRetriesFor('resize-image')).toBe(5);

    const payload = { url: 'https://example.com/a.png', width: 320 };
    // Submitted without max_retries, as the API stores it: DEFAULT_MAX_RETRIES standing in.
    const defaulted = await addTask(workspace.db.pool, {
      task_name: 'resize-image',
      payload,
      max_retries: 3,
      max_retries_source: 'default',
    });
    const explicit = await add(workspace.db.pool, { task_name: 'resize-image', payload, max_retries: 0 });
    const done = await waitForTask(workspace.db.pool, defaulted.id, 'completed');
    expect(done).toMatchObject({ attempts: 1, last_error: null, result: { width: 320 }, max_retries: 5, max_retries_source: 'handler' });
    expect(await waitForTask(workspace.db.pool, explicit.id, 'completed')).toMatchObject({
      max_retries: 0,
      max_retries_source: 'explicit',
    });
  });
});
