import { pino } from 'pino';
import { createPool, loadConfig, migrateUp, type Pool } from '@taskforge/core';
import { createExecutionsTable } from '../fixtures/executions-table.js';
import { findLocalServer } from '../local-server.js';
import { createScratchDatabase, type ScratchDatabase } from '../scratch-database.js';
import { openDatabase, type Database } from '../with-database.js';

export interface BenchDatabase {
  /** The scratch database, migrated (with task_executions unless `executionsTable: false`). */
  url: string;
  admin: Pool;
  /** e.g. "PostgreSQL 17.5 (embedded), synchronous_commit on". */
  description: string;
  /** Drops the scratch database and stops the embedded server; safe to call twice. */
  close(): Promise<void>;
}

export interface BenchDatabaseOptions {
  /** Logs warnings only. */
  quiet: boolean;
  /** Start of the scratch database's name. */
  scratchPrefix?: string;
  /** Without DATABASE_URL, use a PostgreSQL answering on 127.0.0.1:5432 before falling back to the embedded one. */
  tryLocalServer?: boolean;
  /** Create task_executions, which the fixture worker writes and the bench's checks read. */
  executionsTable?: boolean;
}

/**
 * DATABASE_URL when set, else (with `tryLocalServer`) the local server, else the embedded
 * PostgreSQL (openDatabase); in every case a scratch database created here and dropped by
 * close(). Logs go to stderr so --json keeps stdout clean.
 */
export async function openBenchDatabase(options: BenchDatabaseOptions): Promise<BenchDatabase> {
  const { quiet, scratchPrefix = 'taskforge_bench', tryLocalServer = false, executionsTable = true } = options;
  const config = loadConfig();
  const logger = pino({ name: scratchPrefix.replace(/^taskforge_/, ''), level: quiet ? 'warn' : 'info' }, pino.destination(2));
  const localUrl = !config.DATABASE_URL && tryLocalServer ? await findLocalServer() : undefined;
  const server: Database = localUrl ? { url: localUrl } : await openDatabase(config, logger);
  const source = server.embedded ? 'embedded' : localUrl ? 'local server' : 'DATABASE_URL';
  let scratch: ScratchDatabase;
  try {
    scratch = await createScratchDatabase(server.url, scratchPrefix);
  } catch (error) {
    await server.embedded?.stop();
    throw error;
  }
  // Setup statements (a million-row INSERT, VACUUM) take far longer than the default 10 s limit.
  const admin = createPool({
    connectionString: scratch.url,
    max: 4,
    applicationName: scratchPrefix.replaceAll('_', '-'),
    queryTimeoutMs: 30 * 60_000,
  });
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await admin.end().catch(() => undefined);
      await scratch.drop().catch((error: unknown) => logger.warn({ err: error }, 'could not drop the scratch database'));
      await server.embedded?.stop();
    })());
  try {
    await migrateUp(admin);
    if (executionsTable) await createExecutionsTable(admin);
    const { rows } = await admin.query<{ version: string; sync: string }>(
      `select current_setting('server_version') as version, current_setting('synchronous_commit') as sync`,
    );
    const description = `PostgreSQL ${rows[0]!.version} (${source}), synchronous_commit ${rows[0]!.sync}`;
    return { url: scratch.url, admin, description, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Empties the tables between runs, so every run starts from the same state. */
export async function resetTables(admin: Pool): Promise<void> {
  await admin.query('truncate tasks, task_executions');
}

/**
 * Flushes dirty buffers before a timed phase, so a checkpoint triggered by an earlier
 * workload's writes does not land inside this one. Needs superuser or pg_checkpoint;
 * skipped without.
 */
export async function checkpoint(admin: Pool): Promise<void> {
  await admin.query('checkpoint').catch(() => undefined);
}
