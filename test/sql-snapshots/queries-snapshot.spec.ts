import { beforeAll, describe, expect, it } from 'vitest';
import { useTestDatabase } from '../support/test-database.js';
import { generateQuerySnapshots, queriesFileOf, type QuerySnapshots } from './query-snapshots.js';
import { driftMessage, QUERIES_DIR, readTree, REFRESH_COMMAND, shown, WRITING, writeTree } from './snapshot-files.js';

const CATALOGUE = 'test/sql-snapshots/catalogue/';

describe('the queries folder', () => {
  const db = useTestDatabase();
  let generated: QuerySnapshots;
  beforeAll(async () => {
    generated = await generateQuerySnapshots({ pool: db.pool, url: db.url });
    for (const [module, reason] of generated.skipped) console.warn(`${shown(QUERIES_DIR)}: ${module} left out: ${reason}`);
  }, 120_000);

  it('every `.query(` call in packages/core/src is made by a scenario of its own module', () => {
    const unreached = generated.unreached.map((site) => `packages/core/src/${site.file}:${site.line}`);
    expect(
      unreached,
      `these calls send statements that no scenario in ${CATALOGUE} makes: add a scenario under the module's entry, then run \`${REFRESH_COMMAND}\``,
    ).toEqual([]);
    expect(generated.misnamed, `these entries of ${CATALOGUE} name a module their scenarios send no statement from`).toEqual([]);
  });

  it(WRITING ? `writes ${shown(QUERIES_DIR)}` : `${shown(QUERIES_DIR)} holds the statements the code sends`, () => {
    if (WRITING) {
      if (generated.skipped.size > 0) throw new Error(`cannot write ${shown(QUERIES_DIR)} with modules left out (see the warnings above)`);
      writeTree(QUERIES_DIR, generated.files);
      return;
    }
    const committed = readTree(QUERIES_DIR);
    for (const module of generated.skipped.keys()) committed.delete(queriesFileOf(module));
    expect([...generated.files.keys()].sort(), driftMessage(`the list of files in ${shown(QUERIES_DIR)}`)).toEqual(
      [...committed.keys()].sort(),
    );
    for (const [file, text] of generated.files) {
      expect.soft(text, driftMessage(`${shown(QUERIES_DIR)}/${file}`)).toBe(committed.get(file));
    }
  });
});
