import semver from 'semver';
import type { InstalledPackage } from './installed-tree.js';

/**
 * The packages whose `engines.node` does not admit every Node version `supported` admits, one
 * line each naming the package, its range and the path that pulls it in:
 *   content-disposition@3.1.0 needs node ">=22" (via @taskforge/api > @fastify/static > content-disposition)
 * A package without engines.node claims nothing and passes; an unreadable range is listed too.
 */
export function enginesGaps(supported: string, packages: InstalledPackage[]): string[] {
  if (!semver.validRange(supported)) throw new Error(`our own engines.node "${supported}" is not a semver range`);
  return packages
    .filter((pkg) => pkg.enginesNode !== undefined && !covers(pkg.enginesNode, supported))
    .map((pkg) => {
      const readable = semver.validRange(pkg.enginesNode!) ? '' : ' (not a semver range)';
      return `${pkg.name}@${pkg.version} needs node "${pkg.enginesNode}"${readable} (via ${pkg.via.join(' > ')})`;
    });
}

/** Whether every version `supported` admits also meets `needed`. */
function covers(needed: string, supported: string): boolean {
  return semver.validRange(needed) !== null && semver.subset(supported, needed);
}
