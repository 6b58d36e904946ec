import { readFileSync } from 'node:fs';
import { join } from 'node:path';

interface Rule {
  pattern: RegExp;
  /** A `!` rule puts matching paths back into the context. */
  include: boolean;
}

/** A .dockerignore pattern as a regular expression over slash-separated relative paths. */
function patternToRegExp(pattern: string): RegExp {
  let source = '';
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern[index]!;
    if (pattern.startsWith('**/', index)) {
      source += '(?:.*/)?';
      index += 2;
    } else if (pattern.startsWith('**', index)) {
      source += '.*';
      index += 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

/**
 * Whether Docker sends `relativePath` to the build, by .dockerignore's rules: the last rule
 * matching the path, or any folder it sits in, decides.
 */
export function dockerContextFilter(repoRoot: string): (relativePath: string) => boolean {
  const rules: Rule[] = readFileSync(join(repoRoot, '.dockerignore'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const include = line.startsWith('!');
      const pattern = (include ? line.slice(1) : line).replace(/^\/+|\/+$/g, '');
      return { pattern: patternToRegExp(pattern), include };
    });
  return (relativePath) => {
    const parts = relativePath.split('/');
    const candidates = parts.map((_, index) => parts.slice(0, index + 1).join('/'));
    let included = true;
    for (const rule of rules) {
      if (candidates.some((candidate) => rule.pattern.test(candidate))) included = rule.include;
    }
    return included;
  };
}
