import { rmSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { INestApplicationContext } from '@nestjs/common';
import ts from 'typescript';
import { afterAll, beforeAll } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/test-database.js';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
const workersDir = join(repoRoot, 'apps/workers');

/**
 * Type-checks `file` with apps/workers' compiler settings. '@taskforge/core' maps to core's
 * sources, so this works without a build of packages/core. Diagnostics count for the file and
 * the worker app's code it pulls in; core's sources have checks of their own.
 */
export function typeCheck(file: string): string[] {
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
    .filter(
      (source) => source.fileName === file.replaceAll('\\', '/') || source.fileName.startsWith(`${workersDir}/src/`.replaceAll('\\', '/')),
    );
  const diagnostics = [
    ...program.getOptionsDiagnostics(),
    ...program.getGlobalDiagnostics(),
    ...appSources.flatMap((source) => [...program.getSyntacticDiagnostics(source), ...program.getSemanticDiagnostics(source)]),
  ];
  return diagnostics.map((diagnostic) => {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n');
    if (!diagnostic.file || diagnostic.start === undefined) return `TS${diagnostic.code}: ${message}`;
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start);
    return `${diagnostic.file.fileName}:${line + 1}:${character + 1} TS${diagnostic.code}: ${message}`;
  });
}

export interface ExampleWorkspace {
  /** The file's own database, made before its first test. */
  readonly db: TestDatabase;
  /** The worker app a test starts; closed after the last test. */
  app: INestApplicationContext | undefined;
}

/**
 * What a docs example spec needs around it: a database of its own, the example written to
 * `generatedPath` (next to the built-in handlers, so its relative imports resolve), and after
 * the last test the app closed, the database dropped and the generated files removed.
 */
export function useGeneratedExample(source: string, paths: { generatedPath: string; brokenPath: string }): ExampleWorkspace {
  let db: TestDatabase | undefined;
  const workspace = {
    get db(): TestDatabase {
      if (!db) throw new Error('the database exists only inside tests and hooks');
      return db;
    },
    app: undefined as INestApplicationContext | undefined,
  };
  beforeAll(async () => {
    db = await createTestDatabase();
    writeFileSync(paths.generatedPath, source);
  });
  afterAll(async () => {
    try {
      await workspace.app?.close();
      await db?.drop();
    } finally {
      rmSync(paths.generatedPath, { force: true });
      rmSync(paths.brokenPath, { force: true });
    }
  });
  return workspace;
}
