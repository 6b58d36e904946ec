import type { Pool } from 'pg';
import { migrateUp } from '../../packages/core/src/schema/migrate.js';
import { QUERY_CATALOGUE } from './catalogue/index.js';
import type { ModuleScenarios, ScenarioContext } from './catalogue/scenario.js';
import { renderModuleQueries, type RecordedCall } from './render-queries.js';
import { findSqlCallSites } from './sql-call-sites.js';
import { recordStatements, type CallSite } from './statement-recorder.js';

export interface QuerySnapshots {
  /** The queries folder's files, by path relative to it: `tasks/claim-tasks.sql`. */
  files: Map<string, string>;
  /** `.query(` calls in packages/core/src that no scenario of their own module reached. */
  unreached: CallSite[];
  /** Catalogue modules none of whose scenarios sent a statement from that module: named wrong, or moved. */
  misnamed: string[];
  /** Modules left out on this machine, each with why (their files are neither written nor compared). */
  skipped: Map<string, string>;
}

/** The queries file of a module of packages/core/src: the same path, `.sql` for `.ts`. */
export function queriesFileOf(module: string): string {
  return module.replace(/\.ts$/, '.sql');
}

/**
 * Runs every scenario of the catalogue against the migrated database of `context`, recording
 * what each sends, and renders the queries folder. Each scenario starts on a fully migrated
 * database without rows. A scenario that sends nothing, or throws, fails the generation.
 */
export async function generateQuerySnapshots(context: ScenarioContext, catalogue = QUERY_CATALOGUE): Promise<QuerySnapshots> {
  const files = new Map<string, string>();
  const skipped = new Map<string, string>();
  const reached = new Set<string>();
  const misnamed: string[] = [];
  for (const entry of catalogue) {
    const reason = await unavailability(entry);
    if (reason !== null) {
      skipped.set(entry.module, reason);
      continue;
    }
    const calls: RecordedCall[] = [];
    for (const { call, setup, run } of entry.scenarios) {
      const failed = (step: string) => (error: unknown) => {
        throw new Error(`${entry.module}: the ${step} of "${call}" failed`, { cause: error });
      };
      await emptyMigratedDatabase(context.pool);
      const prepared = await Promise.resolve(setup?.(context)).catch(failed('setup'));
      const statements = await recordStatements(() => run(context, prepared)).catch(failed('call'));
      if (statements.length === 0) throw new Error(`${entry.module}: ${call} sent no statement`);
      for (const { site } of statements) if (site.file === entry.module) reached.add(siteKey(site));
      calls.push({ call, statements });
    }
    if (!calls.some(({ statements }) => statements.some(({ site }) => site.file === entry.module))) misnamed.push(entry.module);
    files.set(queriesFileOf(entry.module), renderModuleQueries(entry.module, calls));
  }
  const unreached = distinctSites(findSqlCallSites()).filter((site) => !skipped.has(site.file) && !reached.has(siteKey(site)));
  return { files, unreached, misnamed, skipped };
}

async function unavailability(entry: ModuleScenarios): Promise<string | null> {
  for (const { unavailable } of entry.scenarios) {
    const reason = (await unavailable?.()) ?? null;
    if (reason !== null) return reason;
  }
  return null;
}

/** Every migration applied (a scenario may have reverted some) and no rows in the tables scenarios write. */
async function emptyMigratedDatabase(pool: Pool): Promise<void> {
  await migrateUp(pool);
  await pool.query('truncate tasks, task_schedules, task_workers');
}

function siteKey(site: CallSite): string {
  return `${site.file}:${site.line}`;
}

function distinctSites(sites: CallSite[]): CallSite[] {
  return [...new Map(sites.map((site) => [siteKey(site), site])).values()];
}
