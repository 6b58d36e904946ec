import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What refreshes every committed SQL snapshot; the drift specs name it when they fail. */
export const REFRESH_COMMAND = 'npm run sql:snapshot';

/** `npm run sql:snapshot` runs the drift specs with this set: they write the snapshots instead of comparing. */
export const WRITING = process.env.TASKFORGE_SQL_SNAPSHOT === 'write';

export const REPOSITORY_ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const CORE_SOURCE_DIR = join(REPOSITORY_ROOT, 'packages/core/src');
export const SNAPSHOTS_DIR = join(REPOSITORY_ROOT, 'packages/core/snapshots');
/** The fully migrated schema, as pg_dump prints it (normalised). */
export const SCHEMA_SNAPSHOT = join(SNAPSHOTS_DIR, 'schema.sql');
/** One file per module of packages/core/src that sends SQL, at the same relative path: tasks/claim-tasks.ts → tasks/claim-tasks.sql. */
export const QUERIES_DIR = join(SNAPSHOTS_DIR, 'queries');

/** The message a drift spec fails with. */
export function driftMessage(what: string): string {
  return `${what} no longer matches what the code produces: run \`${REFRESH_COMMAND}\` and review the diff it makes`;
}

/** A path for messages: relative to the repository root. */
export function shown(path: string): string {
  return relative(REPOSITORY_ROOT, path);
}

/** Every file under `dir`, by path relative to it, with its text; empty when `dir` does not exist. */
export function readTree(dir: string): Map<string, string> {
  const files = new Map<string, string>();
  let entries: string[];
  try {
    entries = readdirSync(dir, { recursive: true, encoding: 'utf8' });
  } catch {
    return files;
  }
  for (const entry of entries.sort()) {
    try {
      files.set(entry, readFileSync(join(dir, entry), 'utf8'));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EISDIR') throw error;
    }
  }
  return files;
}

/** Replaces everything under `dir` with `files` (relative path → text). */
export function writeTree(dir: string, files: ReadonlyMap<string, string>): void {
  rmSync(dir, { recursive: true, force: true });
  for (const [path, text] of files) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
}
