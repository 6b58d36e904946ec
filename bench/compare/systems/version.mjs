import { readFileSync } from 'node:fs';

/** The installed version of a dependency of bench/compare, read from its package.json. */
export function packageVersion(name) {
  const file = new URL(`../node_modules/${name}/package.json`, import.meta.url);
  return JSON.parse(readFileSync(file, 'utf8')).version;
}
