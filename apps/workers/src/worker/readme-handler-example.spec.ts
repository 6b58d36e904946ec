import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Module, type Type } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { getTask } from '@taskforge/core';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { add, startWorkerApp, waitForTask } from '../../test/worker-test-app.js';
import { TaskRegistryService } from './task-registry.service.js';
import { WorkerModule } from './worker.module.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '../../../..');
const workersDir = join(repoRoot, 'apps/workers');
const readmePath = join(repoRoot, 'README.md');
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

/** The first typescript code block after the marker line in README.md, or the fallback while there is none. */
function handlerExample(): { source: string; from: 'README.md' | 'fallback' } {
  if (!existsSync(readmePath)) return { source: FALLBACK_EXAMPLE, from: 'fallback' };
  const readme = readFileSync(readmePath, 'utf8');
  const lines = readme.split(/\r?\n/);
  const markerLine = lines.findIndex((line) => line.trim() === README_MARKER);
  if (markerLine === -1) return { source: FALLBACK_EXAMPLE, from: 'fallback' };
  const afterMarker = lines.slice(markerLine + 1).join('\n');
  const block = /^```(?:typescript|ts)[ \t]*\n([\s\S]*?)^```/m.exec(afterMarker);
  if (!block) throw new Error(`README.md has ${README_MARKER} but no \`\`\`typescript code block after it`);
  return { source: block[1]!, from: 'README.md' };
}

/**
 * Type-checks `file` with apps/workers' compiler settings. '@taskforge/core' maps to core's
 * sources, so this works without a build of packages/core. Diagnostics count for the file and
 * the worker app's code it pulls in; core's sources have checks of their own.
 */
function typeCheck(file: string): string[] {
  const configPath = join(workersDir, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (path) => ts.sys.readFile(path));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, workersDir, undefined, configPath);
  const coreIndex = join(repoRoot, 'packages/core/src/index.ts');
  const options: ts.CompilerOptions = {
    ...parsed.options,
    noEmit: true,
    composite: false,
    declaration: false,
    incremental: false,
    tsBuildInfoFile: undefined,
    rootDir: repoRoot,
    paths: { '@taskforge/core': [coreIndex] },
  };
  const program = ts.createProgram({ rootNames: [file], options });
  if (!program.getSourceFile(file)) throw new Error(`the program does not contain ${file}`);
  if (!program.getSourceFile(coreIndex)) throw new Error(`'@taskforge/core' did not resolve to ${coreIndex}`);
  const appSources = program
    .getSourceFiles()
    .filter((source) => source.fileName === file.replaceAll('\\', '/') || source.fileName.startsWith(`${workersDir}/src/`.replaceAll('\\', '/')));
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...appSources.flatMap((source) => [
      ...program.getSyntacticDiagnostics(source),
      ...program.getSemanticDiagnostics(source),
    ]),
  ];
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName}:${line + 1}:${character + 1} TS${diagnostic.code}: ${message}`;
  });
}

interface HandlerClass extends Type {
  TASK_NAME: string;
}

describe("README's handler example", () => {
  let db: TestDatabase;
  let app: INestApplicationContext | undefined;
  const example = handlerExample();

  beforeAll(async () => {
    db = await createTestDatabase();
    writeFileSync(generatedPath, example.source);
  });

  afterAll(async () => {
    try {
      await app?.close();
      await db?.drop();
    } finally {
      rmSync(generatedPath, { force: true });
      rmSync(brokenPath, { force: true });
    }
  });

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

    app = await startWorkerApp(db.url, { imports: [ReadmeExampleModule] });
    expect(app.get(TaskRegistryService).names()).toContain(ExampleHandler.TASK_NAME);

    const task = await add(db.pool, { task_name: ExampleHandler.TASK_NAME, payload: { from: 'the README' } });
    const done = await waitForTask(db.pool, task.id, 'completed');
    expect(done.attempts).toBe(1);
    expect(done.last_error).toBeNull();
    expect((await getTask(db.pool, task.id)).status).toBe('completed');
  });
});
