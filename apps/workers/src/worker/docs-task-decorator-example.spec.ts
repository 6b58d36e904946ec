import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module, type Type } from '@nestjs/common';
import { addTask } from '@taskforge/core';
import { describe, expect, it } from 'vitest';
import { docExample } from '../../../../test/support/doc-example.js';
import { typeCheck, useGeneratedExample } from '../../test/docs-example.js';
import { add, startWorkerApp, waitForTask } from '../../test/worker-test-app.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerModule } from './worker.module.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Next to the built-in handlers, so the example's relative imports resolve as they would for a real one. Git-ignored. */
const generatedPath = join(here, 'handlers/docs-task-decorator-example.generated.handler.ts');
const brokenPath = join(here, 'handlers/docs-task-decorator-example-broken.generated.handler.ts');

/** The example with all three settings (timeoutMs, concurrency, maxRetries), in the task types guide. */
const GUIDE = 'docs/guides/task-types.md';
const MARKER = '<!-- task-decorator-options-example -->';

describe(`the @Task handler example of ${GUIDE}`, () => {
  const source = docExample(GUIDE, MARKER);
  const workspace = useGeneratedExample(source, { generatedPath, brokenPath });

  it("type-checks with the workers' compiler settings", () => {
    expect(typeCheck(generatedPath)).toEqual([]);
  });

  it('the type check does catch mistakes (a payload field of the wrong type)', () => {
    const broken = source.replace('return { width: payload.width };', 'return { width: payload.width.toUpperCase() };');
    expect(broken).not.toBe(source);
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
