import { spawnSync } from 'node:child_process';
import { relative } from 'node:path';
import { REPO_ROOT } from '../processes.js';
import { envWithoutNpm } from './npm.js';

/** One installed package. */
export interface InstalledPackage {
  name: string;
  version: string;
  /** Its folder, relative to the repository root (node_modules/…). */
  location: string;
  /** `engines.node` of its package.json, when it says one. */
  enginesNode?: string;
  /** The names leading to it from the root, first hop a workspace: [`@taskforge/api`, `@fastify/static`, `content-disposition`]. */
  via: string[];
}

/** The part of `npm ls --json --long` this reads: each node repeats its package.json fields. */
export interface LsNode {
  name?: string;
  version?: string;
  path?: string;
  engines?: { node?: string };
  dependencies?: Record<string, LsNode>;
}

/**
 * Every installed package, each once (at the first path npm lists to it), read from
 * `npm ls --all --json --long`, which gives each package's engines and folder: with
 * `production`, only what production code can load (`--omit=dev`).
 */
export function installedPackages(options: { production: boolean }, root = REPO_ROOT): InstalledPackage[] {
  // npm ls exits non-zero for an extraneous package (left by another branch's install); the
  // tree it prints is still complete, so only a missing tree is an error.
  const omit = options.production ? ['--omit=dev'] : [];
  const ls = spawnSync('npm', ['ls', ...omit, '--all', '--json', '--long'], {
    cwd: root,
    env: envWithoutNpm(),
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (!ls.stdout) throw new Error(`npm ls printed nothing: ${ls.error?.message ?? ls.stderr}`);
  return flattenTree(JSON.parse(ls.stdout) as LsNode, root);
}

/** The packages of an `npm ls --long` tree, each folder once; absent optional peers ({}) are left out. */
export function flattenTree(tree: LsNode, root: string): InstalledPackage[] {
  const found = new Map<string, InstalledPackage>();
  const visit = (node: LsNode, via: string[]): void => {
    for (const [name, child] of Object.entries(node.dependencies ?? {})) {
      if (!child.path || found.has(child.path)) continue;
      const here = [...via, name];
      found.set(child.path, {
        name,
        version: child.version ?? '?',
        location: relative(root, child.path),
        enginesNode: child.engines?.node,
        via: here,
      });
      visit(child, here);
    }
  };
  visit(tree, []);
  return [...found.values()];
}
