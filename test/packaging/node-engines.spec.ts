import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';
import { enginesGaps } from '../support/packaging/engines-coverage.js';
import { flattenTree, installedPackages } from '../support/packaging/installed-tree.js';

interface Manifest {
  name: string;
  engines?: { node?: string };
  workspaces?: string[];
}

const readManifest = (folder: string): Manifest => JSON.parse(readFileSync(join(REPO_ROOT, folder, 'package.json'), 'utf8')) as Manifest;
const root = readManifest('.');
const supported = root.engines?.node ?? '';

describe('the Node.js versions we claim (engines.node)', () => {
  it('are Node 20 from 20.19, 22 from 22.13, and 24 on, and include the Node running these tests', () => {
    // 20.19 and 22.12 are where require() of an ES module works unflagged, which Vite's build and
    // @nestjs/swagger need; Vite's WebAssembly fallback (rolldown's, on platforms without a
    // native binding) asks for 22.13 within 22.
    for (const version of ['20.19.0', '20.20.2', '22.13.0', '24.0.0', process.versions.node]) {
      expect(semver.satisfies(version, supported), `${version} in "${supported}"`).toBe(true);
    }
    for (const version of ['18.20.8', '20.18.3', '22.12.0', '23.11.0']) {
      expect(semver.satisfies(version, supported), `${version} in "${supported}"`).toBe(false);
    }
  });

  it('are the same in every workspace package.json as in the root one', () => {
    const workspaces = root.workspaces ?? [];
    expect(workspaces.length).toBeGreaterThan(0);
    const ranges = Object.fromEntries(workspaces.map((folder) => [folder, readManifest(folder).engines?.node]));
    expect(ranges).toEqual(Object.fromEntries(workspaces.map((folder) => [folder, supported])));
  });

  it('are all supported by every installed production dependency', () => {
    const packages = installedPackages({ production: true });
    // The tree npm lists includes the workspaces and what they pull in, such as fastify and pg.
    expect(packages.map((pkg) => pkg.name)).toEqual(expect.arrayContaining(['@taskforge/core', 'fastify', 'pg', '@nestjs/common']));
    expect(enginesGaps(supported, packages)).toEqual([]);
  });

  it('are all supported by every installed development dependency too: the repository builds and tests on each', () => {
    const packages = installedPackages({ production: false });
    expect(packages.map((pkg) => pkg.name)).toEqual(expect.arrayContaining(['vite', 'vitest', 'typescript']));
    expect(enginesGaps(supported, packages)).toEqual([]);
  });
});

describe('enginesGaps', () => {
  const tree = {
    dependencies: {
      '@taskforge/api': {
        name: '@taskforge/api',
        path: '/repo/apps/api',
        dependencies: {
          '@fastify/static': {
            version: '10.1.11',
            path: '/repo/node_modules/@fastify/static',
            engines: { node: '>=20' },
            dependencies: {
              'content-disposition': { version: '3.1.0', path: '/repo/node_modules/content-disposition', engines: { node: '>=22' } },
              // An optional peer that is not installed: npm ls lists it as {}.
              'class-validator': {},
            },
          },
          pg: { version: '8.23.1', path: '/repo/node_modules/pg', engines: { node: '>= 16.0.0' } },
          tslib: { version: '2.9.1', path: '/repo/node_modules/tslib' },
        },
      },
    },
  };

  it('names each package that needs a newer Node than we claim, with its range and the path that pulls it in', () => {
    expect(enginesGaps('^20.19.0 || >=22.12.0', flattenTree(tree, '/repo'))).toEqual([
      'content-disposition@3.1.0 needs node ">=22" (via @taskforge/api > @fastify/static > content-disposition)',
    ]);
  });

  it('passes a tree whose every range covers ours, and lists a range it cannot read', () => {
    expect(enginesGaps('>=22.12.0', flattenTree(tree, '/repo'))).toEqual([]);
    const odd = [{ name: 'odd', version: '1.0.0', location: 'node_modules/odd', enginesNode: 'node 4 or newer', via: ['odd'] }];
    expect(enginesGaps('>=22', odd)).toEqual(['odd@1.0.0 needs node "node 4 or newer" (not a semver range) (via odd)']);
  });
});
