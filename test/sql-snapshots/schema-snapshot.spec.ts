import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { expect, inject, it } from 'vitest';
import { describeIfAvailable } from '../support/describe-if-available.js';
import { findPgDump } from '../support/schema-dump.js';
import { renderSchemaSnapshot } from './schema-snapshot.js';
import { driftMessage, SCHEMA_SNAPSHOT, shown, WRITING } from './snapshot-files.js';

const lookup = await findPgDump(inject('adminDatabaseUrl'));
// Refreshing without a pg_dump must fail, not skip: it would leave the snapshot as it was.
const missing = lookup.missing === null || WRITING ? null : `schema snapshot not checked: ${lookup.missing}`;

describeIfAvailable(missing, 'the schema snapshot', () => {
  it(WRITING ? `writes ${shown(SCHEMA_SNAPSHOT)}` : `${shown(SCHEMA_SNAPSHOT)} is the schema the migrations build`, async () => {
    if (!lookup.pgDump) throw new Error(`cannot write ${shown(SCHEMA_SNAPSHOT)}: ${lookup.missing}`);
    const schema = await renderSchemaSnapshot(lookup.pgDump);
    if (WRITING) {
      mkdirSync(dirname(SCHEMA_SNAPSHOT), { recursive: true });
      writeFileSync(SCHEMA_SNAPSHOT, schema);
      return;
    }
    expect(schema, driftMessage(shown(SCHEMA_SNAPSHOT))).toBe(readCommitted());
  });
});

function readCommitted(): string {
  try {
    return readFileSync(SCHEMA_SNAPSHOT, 'utf8');
  } catch {
    return '';
  }
}
