import { execFile, execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { promisify } from 'node:util';
import pg from 'pg';

/** A pg_dump this machine can run against a given server. */
export interface PgDump {
  path: string;
  /** Its major version: at least the server's, or it refuses to dump. */
  major: number;
}

export type PgDumpLookup = { pgDump: PgDump; missing: null } | { pgDump: null; missing: string };

/**
 * The pg_dump to dump the server at `serverUrl` with. pg_dump refuses a server newer than
 * itself, and its text differs between versions, so one of the server's own major version
 * comes first (PG_DUMP when set, then the one beside the server's binaries, then the usual
 * install folders and PATH), else the oldest newer one. `missing` says why none fits: the
 * PostgreSQL that the project ships as an npm package (the tests' fallback) has no pg_dump.
 */
export async function findPgDump(serverUrl: string): Promise<PgDumpLookup> {
  const server = await readServer(serverUrl);
  const fromEnv = process.env.PG_DUMP?.trim();
  const paths = fromEnv ? [fromEnv] : candidatePaths(server);
  const versions = paths.map((path) => ({ path, major: majorVersionOf(path) }));
  const usable = versions.filter((candidate): candidate is PgDump => candidate.major !== null && candidate.major >= server.major);
  const pgDump = usable.find((candidate) => candidate.major === server.major) ?? usable.sort((a, b) => a.major - b.major)[0];
  if (pgDump) return { pgDump, missing: null };
  const seen = versions.map(({ path, major }) => `${path} (${major === null ? 'none' : `PostgreSQL ${major}`})`);
  return {
    pgDump: null,
    missing:
      `no pg_dump of PostgreSQL ${server.major} or newer, which the server needs (looked at ${seen.join(', ')}): ` +
      `install PostgreSQL ${server.major}'s client tools, or set PG_DUMP to one`,
  };
}

/** `pg_dump --schema-only` of the database at `databaseUrl`, without owners, privileges or tablespaces. */
export async function dumpSchema(pgDump: PgDump, databaseUrl: string): Promise<string> {
  const { stdout } = await promisify(execFile)(
    pgDump.path,
    ['--schema-only', '--no-owner', '--no-privileges', '--no-tablespaces', `--dbname=${databaseUrl}`],
    { maxBuffer: 64 * 1024 * 1024, env: { ...process.env, LC_MESSAGES: 'C' } },
  );
  return stdout;
}

/**
 * pg_dump's text with what varies between runs, versions and machines taken out, so that the
 * same schema always reads the same (checked with pg_dump 15 and 17 against servers 15 and 17):
 * its comment lines (the version banner, and each object's header naming its owner), its SET
 * and set_config lines, and the random key of its \restrict / \unrestrict lines (pg_dump
 * 17.6, 16.10, 15.14 and later). Runs of blank lines become one. Function bodies (between
 * dollar quotes) are kept as written: a comment or a SET there belongs to the function.
 */
export function normaliseSchemaDump(dump: string): string {
  const kept: string[] = [];
  let openQuote: string | null = null;
  for (const rawLine of dump.split('\n')) {
    const line = rawLine.trimEnd();
    const inBody = openQuote !== null;
    if (!inBody && isDumpNoise(line)) continue;
    if (!inBody && line === '' && (kept.length === 0 || kept.at(-1) === '')) continue;
    kept.push(line);
    openQuote = dollarQuoteAfter(line, openQuote);
  }
  while (kept.at(-1) === '') kept.pop();
  return `${kept.join('\n')}\n`;
}

function isDumpNoise(line: string): boolean {
  return (
    line.startsWith('--') ||
    line.startsWith('SET ') ||
    line.startsWith('SELECT pg_catalog.set_config(') ||
    line.startsWith('\\restrict ') ||
    line.startsWith('\\unrestrict ')
  );
}

/** The dollar quote (`$$`, `$body$`) still open at the end of `line`, given the one open before it. */
function dollarQuoteAfter(line: string, open: string | null): string | null {
  let current = open;
  for (const [token] of line.matchAll(/\$(?:[A-Za-z_][A-Za-z_0-9]*)?\$/g)) {
    if (current === null) current = token;
    else if (token === current) current = null;
  }
  return current;
}

interface ServerFacts {
  major: number;
  /** Where the server's own binaries are, when this role may read pg_config. */
  binDir: string | null;
}

async function readServer(serverUrl: string): Promise<ServerFacts> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ version: string }>(`select current_setting('server_version_num') as version`);
    const major = Math.floor(Number(rows[0]!.version) / 10_000);
    // pg_config is readable by superusers only; another role just does without the hint.
    const binDir = await client
      .query<{ setting: string }>(`select setting from pg_config where name = 'BINDIR'`)
      .then(({ rows: [row] }) => row?.setting ?? null)
      .catch(() => null);
    return { major, binDir };
  } finally {
    await client.end();
  }
}

/** Where pg_dump usually is: beside the server, in versioned install folders (Debian, RHEL, Homebrew), on PATH. */
function candidatePaths(server: ServerFacts): string[] {
  const versioned = [
    ...installedVersions('/usr/lib/postgresql', /^(\d+)$/).map((v) => `/usr/lib/postgresql/${v}/bin/pg_dump`),
    ...installedVersions('/usr', /^pgsql-(\d+)$/).map((v) => `/usr/pgsql-${v}/bin/pg_dump`),
    ...installedVersions('/opt/homebrew/opt', /^postgresql@(\d+)$/).map((v) => `/opt/homebrew/opt/postgresql@${v}/bin/pg_dump`),
    ...installedVersions('/usr/local/opt', /^postgresql@(\d+)$/).map((v) => `/usr/local/opt/postgresql@${v}/bin/pg_dump`),
  ];
  return [...new Set([...(server.binDir ? [`${server.binDir}/pg_dump`] : []), ...versioned, 'pg_dump'])];
}

/** The versions in `dir` whose folder names match `pattern` (its group is the version). */
function installedVersions(dir: string, pattern: RegExp): string[] {
  try {
    return readdirSync(dir).flatMap((name) => pattern.exec(name)?.[1] ?? []);
  } catch {
    return [];
  }
}

/** The major version `path --version` prints, or null when it does not run. */
function majorVersionOf(path: string): number | null {
  try {
    const printed = execFileSync(path, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(printed);
    return match ? Number(match[1]) : null;
  } catch {
    return null;
  }
}
