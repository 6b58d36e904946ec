import { existsSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { dockerContextFilter } from '../support/deploy/docker-context.js';
import { execForm, instructionsOf, parseCopy } from '../support/deploy/dockerfile.js';
import { nodeScript, readDockerfile, REPO_ROOT } from '../support/deploy/deployment-files.js';

const dockerfile = readDockerfile();
const [build, runtime] = [dockerfile.stages[0]!, dockerfile.stages.at(-1)!];
const inContext = dockerContextFilter(REPO_ROOT);

/** The build stage's WORKDIR is /app and its COPYs mirror the repository there, so /app/x is x after `npm run build`. */
function repositoryPath(imagePath: string): string {
  return imagePath.replace(/^\/app\//, '').replace(/\/$/, '');
}

describe('Dockerfile', () => {
  it('has a build stage and a separate runtime stage on the same Node image', () => {
    expect(dockerfile.stages.map((stage) => stage.name)).toEqual(['build', 'runtime']);
    expect(build.from).toBe(runtime.from);
    expect(instructionsOf(build, 'RUN').map((run) => run.args)).toEqual(['npm ci --no-audit --no-fund', 'npm run build']);
  });

  it('builds from a Node major line that engines.node admits whole (test/packaging/node-engines.spec.ts checks the dependencies)', () => {
    const image = build.from === '${NODE_IMAGE}' ? dockerfile.globalArgs.NODE_IMAGE : build.from;
    const major = Number(/^node:(\d+)-/.exec(image ?? '')?.[1]);
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    // The tag follows the newest release of that major, so every one of them must be claimed.
    expect(semver.subset(`^${major}.0.0`, root.engines.node), `node:${major} in "${root.engines.node}"`).toBe(true);
  });

  it('sends the build what it compiles, and not tests, local data, .env or host node_modules', () => {
    for (const path of [
      'package.json',
      'package-lock.json',
      'tsconfig.base.json',
      'packages/core/src/index.ts',
      'apps/api/src/main.ts',
      'apps/dashboard/index.html',
      'scripts/src/migrate.ts',
    ]) {
      expect(inContext(path), path).toBe(true);
    }
    for (const path of [
      'node_modules/pg/package.json',
      'apps/api/dist/main.js',
      'test/support/processes.ts',
      '.env',
      'apps/api/.env',
      '.data/postgres/PG_VERSION',
      '.git/HEAD',
      'docs/screenshots/overview.png',
    ]) {
      expect(inContext(path), path).toBe(false);
    }
  });

  it('copies into the build stage only paths that exist and are in the build context, to the same place under /app', () => {
    expect(instructionsOf(build, 'WORKDIR').map((workdir) => workdir.args)).toEqual(['/app']);
    for (const copy of instructionsOf(build, 'COPY').map(parseCopy)) {
      expect(copy.from).toBeUndefined();
      for (const source of copy.sources) {
        expect(existsSync(join(REPO_ROOT, source)), source).toBe(true);
        expect(inContext(source), source).toBe(true);
        // A folder's contents go into the destination; a file goes into it when it ends with '/'.
        const isFolder = statSync(join(REPO_ROOT, source)).isDirectory();
        const landsAt = !isFolder && copy.destination.endsWith('/') ? join(copy.destination, basename(source)) : copy.destination;
        expect(join(landsAt), `COPY ${source} ${copy.destination}`).toBe(join(source));
      }
    }
  });

  it("copies every workspace's package.json into both stages, and every project tsc -b builds into the build stage", () => {
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { workspaces: string[] };
    const sources = (stage: typeof build) =>
      instructionsOf(stage, 'COPY')
        .map(parseCopy)
        .filter((c) => c.from === undefined)
        .flatMap((c) => c.sources);
    for (const stage of [build, runtime]) {
      expect(sources(stage), stage.name).toEqual(expect.arrayContaining(root.workspaces.map((folder) => `${folder}/package.json`)));
    }
    const projects = (JSON.parse(readFileSync(join(REPO_ROOT, 'tsconfig.json'), 'utf8')) as { references: Array<{ path: string }> })
      .references;
    const copied = sources(build);
    for (const { path } of projects) {
      expect(
        copied.some((source) => path === source || path.startsWith(`${source}/`)),
        path,
      ).toBe(true);
      expect(inContext(`${path}/tsconfig.json`), path).toBe(true);
    }
  });

  it('copies into the runtime stage the package manifests, and from the build stage only built output and the SQL core reads at run time', () => {
    const copies = instructionsOf(runtime, 'COPY').map(parseCopy);
    for (const copy of copies.filter((c) => c.from === undefined)) {
      expect(
        copy.sources.every((source) => source === 'package.json' || source === 'package-lock.json' || source.endsWith('/package.json')),
      ).toBe(true);
    }
    const fromBuild = copies.filter((c) => c.from === 'build').flatMap((c) => c.sources.map(repositoryPath));
    for (const source of fromBuild) {
      expect(existsSync(join(REPO_ROOT, source)), `${source} after npm run build`).toBe(true);
      expect(['packages/core/migrations', 'packages/core/sql'].includes(source) || /(^|\/)dist(\/|$)/.test(source), source).toBe(true);
    }
    expect(fromBuild).toEqual(
      expect.arrayContaining([
        'packages/model/dist',
        'packages/core/dist',
        'packages/core/migrations',
        'packages/core/sql',
        'apps/api/dist',
        'apps/workers/dist',
        'apps/dashboard/dist',
      ]),
    );
  });

  it('installs production dependencies only, without install scripts', () => {
    const installs = instructionsOf(runtime, 'RUN').filter((run) => run.args.includes('npm '));
    expect(installs).toHaveLength(1);
    expect(installs[0]!.args).toMatch(/^npm ci --omit=dev\b/);
    expect(installs[0]!.args).toContain('--ignore-scripts');
  });

  it('skips only install scripts that production does not need: optional packages, and those allowScripts refuses', () => {
    const root = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { allowScripts: Record<string, boolean> };
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, any> };
    const needed = Object.entries(lock.packages)
      .filter(([, entry]) => entry.hasInstallScript && !entry.dev && !entry.optional && !entry.devOptional)
      .map(([path]) => path.replace(/^.*node_modules\//, ''))
      .filter((name) => root.allowScripts[name] !== false);
    expect(needed).toEqual([]);
  });

  it('runs as a non-root user', () => {
    const users = instructionsOf(runtime, 'USER').map((user) => user.args.split(':')[0]);
    expect(users.length).toBeGreaterThan(0);
    expect(['root', '0']).not.toContain(users.at(-1));
  });

  it('has a HEALTHCHECK running a script the image holds', () => {
    const [healthcheck] = instructionsOf(runtime, 'HEALTHCHECK');
    expect(healthcheck).toBeDefined();
    const argv = execForm(healthcheck!.args.slice(healthcheck!.args.indexOf('CMD')))!;
    const script = nodeScript(argv)!;
    expect(script).toBe('scripts/dist/container-health.js');
    expect(existsSync(join(REPO_ROOT, script))).toBe(true);
    expect(healthcheck!.args).toMatch(/--timeout=\d+s/);
  });

  it('runs the API by default, in the exec form so that node receives SIGTERM', () => {
    const cmd = instructionsOf(runtime, 'CMD').at(-1)!;
    expect(execForm(cmd.args)).toEqual(['node', 'apps/api/dist/main.js']);
    expect(instructionsOf(runtime, 'ENTRYPOINT')).toEqual([]);
  });
});
