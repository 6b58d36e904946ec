import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import semver from 'semver';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../support/processes.js';
import { npm } from '../support/packaging/npm.js';
import { entryPoints, publishedWorkspaces, readManifest } from '../support/packaging/published-packages.js';

const published = publishedWorkspaces();
const rootEngines = readManifest('.').engines?.node;

/**
 * What each package npm would publish declares and ships, read from its package.json and from
 * `npm pack --dry-run` (the exact file list of the tarball). test/packaging/pack-and-install.spec.ts
 * then installs the real tarballs and uses them.
 */
describe('the published packages', () => {
  let tarballFiles: Map<string, string[]>;

  beforeAll(async () => {
    const args = ['pack', '--dry-run', '--json', ...published.flatMap(({ folder }) => ['--workspace', folder])];
    const packs = JSON.parse(await npm(args, REPO_ROOT)) as Array<{ name: string; files: Array<{ path: string }> }>;
    tarballFiles = new Map(packs.map((pack) => [pack.name, pack.files.map((file) => file.path)]));
  }, 120_000);

  it('are the model, core, the client and the command line; the apps stay private', () => {
    expect(published.map(({ folder }) => folder).sort()).toEqual(['packages/cli', 'packages/client', 'packages/core', 'packages/model']);
  });

  describe.each(published)('$folder', ({ folder, manifest }) => {
    const files = () => tarballFiles.get(manifest.name) ?? [];

    it('declares an ES module entry with its types, the files to ship, MIT and the engines the root claims', () => {
      expect(manifest.type).toBe('module');
      const main = manifest.exports?.['.'];
      expect(main).toEqual({ types: expect.stringMatching(/\.d\.ts$/), default: expect.stringMatching(/\.js$/) });
      expect(manifest.types).toBe((main as { types: string }).types);
      expect(manifest.files?.length).toBeGreaterThan(0);
      expect(manifest.license).toBe('MIT');
      expect(manifest.engines?.node).toBe(rootEngines);
    });

    it('has a LICENSE (MIT, taskforge contributors) and a README with install and plain-JavaScript usage', () => {
      const license = readFileSync(join(REPO_ROOT, folder, 'LICENSE'), 'utf8');
      expect(license).toMatch(/^MIT License\n\nCopyright \(c\) 2026 taskforge contributors\n/);
      const readme = readFileSync(join(REPO_ROOT, folder, 'README.md'), 'utf8');
      expect(readme).toMatch(/^## Install$/m);
      expect(readme).toContain(`npm install ${manifest.name}`);
      expect(readme).toMatch(/^```js$/m);
    });

    it('ships its entry points, LICENSE and README, and no build info, specs, TypeScript sources or maps without their sources', () => {
      expect(files()).toEqual(expect.arrayContaining([...entryPoints(manifest), 'LICENSE', 'README.md', 'package.json']));
      // .tsbuildinfo is the compiler's cache; src/*.ts is not shipped, so a map must carry its
      // sources inside (inlineSources) or stay out.
      const unwanted = files().filter((path) => /\.tsbuildinfo$|\.spec\.|\.test\.|(?<!\.d)\.ts$/.test(path));
      expect(unwanted).toEqual([]);
      const mapsWithoutSources = files()
        .filter((path) => path.endsWith('.map'))
        .filter((path) => {
          const map = JSON.parse(readFileSync(join(REPO_ROOT, folder, path), 'utf8')) as {
            sources: string[];
            sourcesContent?: Array<string | null>;
          };
          return map.sourcesContent?.length !== map.sources.length || map.sourcesContent.some((content) => content === null);
        });
      expect(mapsWithoutSources).toEqual([]);
    });
  });

  it('ships core with every migration and the SQL definitions they include, which it reads from disk at run time', () => {
    const migrations = readdirSync(join(REPO_ROOT, 'packages/core/migrations')).map((file) => `migrations/${file}`);
    const definitions = readdirSync(join(REPO_ROOT, 'packages/core/sql')).map((file) => `sql/${file}`);
    expect(migrations.length).toBeGreaterThan(0);
    expect(definitions.length).toBeGreaterThan(0);
    expect(tarballFiles.get('@taskforge/core')).toEqual(expect.arrayContaining([...migrations, ...definitions]));
  });

  it('has core and the client depend on the version of the model published with them', () => {
    const model = published.find(({ folder }) => folder === 'packages/model')!.manifest;
    expect(model.dependencies ?? {}).toEqual({});
    for (const folder of ['packages/core', 'packages/client']) {
      const range = published.find((workspace) => workspace.folder === folder)!.manifest.dependencies?.['@taskforge/model'] ?? 'none';
      expect(semver.satisfies(model.version, range), `${folder} ${range}`).toBe(true);
    }
  });

  it('has the command line depend on the versions of core and the client published with it', () => {
    const versions = Object.fromEntries(published.map(({ manifest }) => [manifest.name, manifest.version]));
    const cli = published.find(({ folder }) => folder === 'packages/cli')!.manifest;
    for (const name of ['@taskforge/core', '@taskforge/client']) {
      expect(semver.satisfies(versions[name]!, cli.dependencies?.[name] ?? 'none'), `${name} ${cli.dependencies?.[name]}`).toBe(true);
    }
  });
});
