import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const MIGRATIONS = new URL('../../migrations/', import.meta.url);
const SQL = new URL('../../sql/', import.meta.url);

/** The first 16 hex digits of the file's SHA-256: enough to tell one version from the next. */
function versionOf(file: string): string {
  return createHash('sha256')
    .update(readFileSync(new URL(file, SQL)))
    .digest('hex')
    .slice(0, 16);
}

/**
 * A definition under sql/ reaches a database through the migrations that include it, and a
 * migration runs once: a database migrated before a definition changed keeps the old one until a
 * newer migration includes it again. So the newest migration including each file records the
 * version it installs, on the line before its `\ir`, and this fails when the file has moved on.
 */
describe('the SQL definitions under packages/core/sql/', () => {
  const ups = readdirSync(MIGRATIONS)
    .filter((file) => file.endsWith('.up.sql'))
    .sort()
    .map((file) => ({ file, lines: readFileSync(new URL(file, MIGRATIONS), 'utf8').split('\n') }));

  it.each(readdirSync(SQL).filter((file) => file.endsWith('.sql')))(
    '%s is installed, as it is now, by the newest migration including it',
    (file) => {
      const including = ups.filter(({ lines }) => lines.includes(`\\ir ../sql/${file}`));
      expect(including.length, `no migration includes sql/${file}`).toBeGreaterThan(0);
      const newest = including.at(-1)!;
      const at = newest.lines.indexOf(`\\ir ../sql/${file}`);
      const recorded = /^-- version ([0-9a-f]{16})$/.exec(newest.lines[at - 1] ?? '')?.[1];
      expect(
        recorded,
        `sql/${file} is not what ${newest.file} installs (it records ${recorded ?? 'no version'}): databases migrated before ` +
          `the change would keep the old definition. Add a migration that includes it again, with "-- version ${versionOf(file)}" ` +
          `on the line before its \\ir (and rebuild the indexes that use it, if any: see CONTRIBUTING.md, "Adding a task state").`,
      ).toBe(versionOf(file));
    },
  );
});
