import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../processes.js';

/** The fields of a package.json that publishing reads. */
export interface PackageManifest {
  name: string;
  version: string;
  private?: boolean;
  type?: string;
  main?: string;
  types?: string;
  exports?: Record<string, string | { types?: string; default?: string }>;
  files?: string[];
  bin?: Record<string, string>;
  engines?: { node?: string };
  license?: string;
  workspaces?: string[];
  dependencies?: Record<string, string>;
}

export function readManifest(folder: string): PackageManifest {
  return JSON.parse(readFileSync(join(REPO_ROOT, folder, 'package.json'), 'utf8')) as PackageManifest;
}

/** The workspaces npm would publish (every one not marked private), by folder: packages/core, packages/client, packages/cli. */
export function publishedWorkspaces(): Array<{ folder: string; manifest: PackageManifest }> {
  return (readManifest('.').workspaces ?? [])
    .map((folder) => ({ folder, manifest: readManifest(folder) }))
    .filter(({ manifest }) => manifest.private !== true);
}

/** The files a package's manifest names as entry points (exports, types, main, bin), without `./`. */
export function entryPoints(manifest: PackageManifest): string[] {
  const fromExports = Object.entries(manifest.exports ?? {})
    .filter(([subpath]) => subpath !== './package.json')
    .flatMap(([, target]) => (typeof target === 'string' ? [target] : [target.types, target.default]));
  const all = [...fromExports, manifest.types, manifest.main, ...Object.values(manifest.bin ?? {})];
  return [...new Set(all.filter((path): path is string => path !== undefined).map((path) => path.replace(/^\.\//, '')))];
}
