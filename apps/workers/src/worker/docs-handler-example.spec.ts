import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module, type Type } from '@nestjs/common';
import { getTask } from '@taskforge/core';
import { describe, expect, it } from 'vitest';
import { docExample } from '../../../../test/support/doc-example.js';
import { typeCheck, useGeneratedExample } from '../../test/docs-example.js';
import { add, startWorkerApp, waitForTask } from '../../test/worker-test-app.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerModule } from './worker.module.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Next to the built-in handlers, so the example's relative imports resolve as they would for a real one. Git-ignored. */
const generatedPath = join(here, 'handlers/docs-handler-example.generated.handler.ts');

const brokenPath = join(here, 'handlers/docs-handler-example-broken.generated.handler.ts');

/** The seed-style handler: taught by the task types guide, and shown again on the README's front page. */
const GUIDE = 'docs/guides/task-types.md';
const README = 'README.md';
const MARKER = '<!-- handler-example -->';

interface HandlerClass extends Type {
  TASK_NAME: string;
}

describe(`the handler example of ${GUIDE} (and ${README})`, () => {
  const source = docExample(GUIDE, MARKER);
  const workspace = useGeneratedExample(source, { generatedPath, brokenPath });

  it(`${README} shows the same example, so its copy is tested too`, () => {
    expect(docExample(README, MARKER)).toBe(source);
  });

  it("type-checks with the workers' compiler settings", () => {
    expect(typeCheck(generatedPath)).toEqual([]);
  });

  it('the type check does catch mistakes (a misspelt method, a wrong import)', () => {
    const broken = source
      .replace('this.taskRegistry.register(', 'this.taskRegistry.registr(')
      .replace("'../task-registry.service.js'", "'../task-registry.servic.js'");
    writeFileSync(brokenPath, broken);
    try {
      const diagnostics = typeCheck(brokenPath);
      expect(diagnostics.join('\n')).toMatch(/TS2307|TS2339|TS2551/);
    } finally {
      rmSync(brokenPath, { force: true });
    }
  });

  it('registers its handler and runs its task to completion in a worker app', async () => {
    const exports = (await import(/* @vite-ignore */ generatedPath)) as Record<string, unknown>;
    const handlers = Object.values(exports).filter(
      (value): value is HandlerClass => typeof value === 'function' && typeof (value as HandlerClass).TASK_NAME === 'string',
    );
    expect(handlers).toHaveLength(1);
    const ExampleHandler = handlers[0]!;
    // The guide and the README tell readers to submit "task_name": "my-new-task".
    expect(ExampleHandler.name).toBe('MyNewTaskHandler');
    expect(ExampleHandler.TASK_NAME).toBe('my-new-task');

    @Module({ imports: [WorkerModule], providers: [ExampleHandler] })
    class ReadmeExampleModule {}

    workspace.app = await startWorkerApp(workspace.db.url, { imports: [ReadmeExampleModule] });
    expect(workspace.app.get(TaskRegistryService).names()).toContain(ExampleHandler.TASK_NAME);

    const task = await add(workspace.db.pool, { task_name: ExampleHandler.TASK_NAME, payload: { from: 'the docs' } });
    const done = await waitForTask(workspace.db.pool, task.id, 'completed');
    expect(done.attempts).toBe(1);
    expect(done.last_error).toBeNull();
    expect((await getTask(workspace.db.pool, task.id)).status).toBe('completed');
  });
});
