import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module, type Type } from '@nestjs/common';
import { getTask } from '@taskforge/core';
import { describe, expect, it } from 'vitest';
import { readmeExample, typeCheck, useGeneratedExample } from '../../test/readme-example.js';
import { add, startWorkerApp, waitForTask } from '../../test/worker-test-app.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerModule } from './worker.module.js';

const here = dirname(fileURLToPath(import.meta.url));
/** Next to the built-in handlers, so the example's relative imports resolve as they would for a real one. Git-ignored. */
const generatedPath = join(here, 'handlers/readme-example.generated.handler.ts');

const brokenPath = join(here, 'handlers/readme-example-broken.generated.handler.ts');

const README_MARKER = '<!-- handler-example -->';

/** Used until README.md has the marker: the example as the README is meant to show it. */
const FALLBACK_EXAMPLE = `import { Injectable, OnModuleInit } from '@nestjs/common';
import { LoggerService } from '../../logger/logger.service.js';
import { TaskHandler } from '../task-handler.interface.js';
import { TaskRegistryService } from '../task-registry.service.js';

@Injectable()
export class MyNewTaskHandler implements TaskHandler, OnModuleInit {
  static readonly TASK_NAME = 'my-new-task';

  constructor(
    private readonly logger: LoggerService,
    private readonly taskRegistry: TaskRegistryService,
  ) {}

  onModuleInit() {
    this.taskRegistry.register(MyNewTaskHandler.TASK_NAME, this);
  }

  async execute(payload: any, taskId: string): Promise<void> {
    // Implement task logic here
    this.logger.log(\`my-new-task \${taskId} ran with \${JSON.stringify(payload)}\`);
  }
}
`;

interface HandlerClass extends Type {
  TASK_NAME: string;
}

describe("README's handler example", () => {
  const example = readmeExample(README_MARKER, FALLBACK_EXAMPLE);
  const workspace = useGeneratedExample(example.source, { generatedPath, brokenPath });

  it(`type-checks with the workers' compiler settings (example taken from ${example.from})`, () => {
    expect(typeCheck(generatedPath)).toEqual([]);
  });

  it('the type check does catch mistakes (a misspelt method, a wrong import)', () => {
    const broken = example.source
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
    if (example.from === 'fallback') {
      expect(ExampleHandler.name).toBe('MyNewTaskHandler');
      expect(ExampleHandler.TASK_NAME).toBe('my-new-task');
    }

    @Module({ imports: [WorkerModule], providers: [ExampleHandler] })
    class ReadmeExampleModule {}

    workspace.app = await startWorkerApp(workspace.db.url, { imports: [ReadmeExampleModule] });
    expect(workspace.app.get(TaskRegistryService).names()).toContain(ExampleHandler.TASK_NAME);

    const task = await add(workspace.db.pool, { task_name: ExampleHandler.TASK_NAME, payload: { from: 'the README' } });
    const done = await waitForTask(workspace.db.pool, task.id, 'completed');
    expect(done.attempts).toBe(1);
    expect(done.last_error).toBeNull();
    expect((await getTask(workspace.db.pool, task.id)).status).toBe('completed');
  });
});
