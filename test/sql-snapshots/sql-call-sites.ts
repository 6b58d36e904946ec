import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CallSite } from './statement-recorder.js';
import { CORE_SOURCE_DIR } from './snapshot-files.js';

/** `.query(` or `.query<Row>(`: every way core sends a statement, on a pool, a client or a Queryable. */
const QUERY_CALL = /\.query\s*[<(]/g;

/**
 * Every `.query(` call in packages/core/src outside specs and test helpers, by file (relative,
 * forward slashes) and line: what the recorded statements must cover.
 */
export function findSqlCallSites(dir = CORE_SOURCE_DIR): CallSite[] {
  const files = readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((path) => path.split('\\').join('/'))
    .filter((path) => path.endsWith('.ts') && !/\.(spec|test|test-helper)\.ts$/.test(path))
    .sort();
  return files.flatMap((file) =>
    readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .flatMap((text, index) => (text.match(QUERY_CALL) ?? []).map(() => ({ file, line: index + 1 }))),
  );
}
