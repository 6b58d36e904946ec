import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface ScratchDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A throw-away database on the server of `serverUrl`, so a benchmark or chaos run never
 * touches the data of the database it was pointed at.
 */
export async function createScratchDatabase(serverUrl: string, prefix: string): Promise<ScratchDatabase> {
  // Identifiers cannot be bind parameters; this name is ours (a fixed prefix and hex).
  const name = `${prefix}_${randomBytes(4).toString('hex')}`;
  await runOnItsOwnConnection(serverUrl, `create database ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => runOnItsOwnConnection(serverUrl, `drop database if exists ${name} with (force)`),
  };
}

/**
 * Runs one statement on a connection of its own, closed after: for what no pool may run
 * (CREATE/DROP DATABASE) or what outlasts a pool's query timeout (a bulk load).
 */
export async function runOnItsOwnConnection(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
