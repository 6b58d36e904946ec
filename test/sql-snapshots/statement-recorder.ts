import { sep } from 'node:path';
import pg from 'pg';
import { CORE_SOURCE_DIR } from './snapshot-files.js';

/** One statement as core sent it. */
export interface RecordedStatement {
  text: string;
  /** The prepared statement's name, when core gave one. */
  name: string | null;
  /** Where in packages/core/src the `.query(` call that sent it is. */
  site: CallSite;
}

export interface CallSite {
  /** Relative to packages/core/src, with forward slashes: `tasks/claim-tasks.ts`. */
  file: string;
  line: number;
}

type QueryMethod = (this: unknown, ...args: unknown[]) => unknown;

/**
 * Runs `work` and returns every statement that code in packages/core/src sent meanwhile, in
 * order, each with the call site that sent it. Queries pass through to the real database.
 *
 * The recorder sits on the pg driver's own query methods (Pool and Client) rather than around
 * the pool handed to core: some modules open connections of their own (the LISTEN connection,
 * the embedded server's bootstrap), which a wrapped pool would never see. The call site comes
 * from the stack: a statement is core's when a frame in packages/core/src made the call, which
 * also leaves out what the generator sends itself. A pool hands a query to one of its clients
 * later, from a callback whose stack names no caller; that one was recorded by the pool.
 */
export async function recordStatements(work: () => Promise<unknown>): Promise<RecordedStatement[]> {
  const recorded: RecordedStatement[] = [];
  const restore = [wrap(pg.Pool.prototype, recorded), wrap(pg.Client.prototype, recorded)];
  try {
    await work();
  } finally {
    for (const undo of restore) undo();
  }
  return recorded;
}

function wrap(prototype: object, recorded: RecordedStatement[]): () => void {
  const target = prototype as { query: QueryMethod };
  // Own or inherited (pg's Pool inherits it from pg-pool's): restoring means putting back what was found.
  const hadOwn = Object.prototype.hasOwnProperty.call(target, 'query');
  const original = target.query;
  target.query = function (this: unknown, ...args: unknown[]): unknown {
    const site = coreCallSite();
    const statement = site && statementOf(args[0]);
    if (site && statement) recorded.push({ ...statement, site });
    return original.apply(this, args);
  };
  return () => {
    if (hadOwn) target.query = original;
    else delete (target as Partial<typeof target>).query;
  };
}

/** The text and name of `query(config)`'s first argument: a string, or `{ text, name }`. */
function statementOf(config: unknown): Pick<RecordedStatement, 'text' | 'name'> | null {
  if (typeof config === 'string') return { text: config, name: null };
  if (typeof config !== 'object' || config === null) return null;
  const { text, name } = config as { text?: unknown; name?: unknown };
  if (typeof text !== 'string') return null;
  return { text, name: typeof name === 'string' ? name : null };
}

const CORE_SOURCE_PREFIX = CORE_SOURCE_DIR.endsWith(sep) ? CORE_SOURCE_DIR : `${CORE_SOURCE_DIR}${sep}`;

/** The innermost frame of the current stack in packages/core/src (a spec's excepted), or null. */
function coreCallSite(): CallSite | null {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 50;
  const stack = new Error().stack ?? '';
  Error.stackTraceLimit = limit;
  for (const frame of stack.split('\n').slice(1)) {
    const match = /\(?([^()\s]+):(\d+):\d+\)?$/.exec(frame.trim());
    if (!match) continue;
    const file = match[1]!.replace(/^file:\/\//, '');
    if (!file.startsWith(CORE_SOURCE_PREFIX) || /\.(spec|test|test-helper)\.ts$/.test(file)) continue;
    return { file: file.slice(CORE_SOURCE_PREFIX.length).split(sep).join('/'), line: Number(match[2]) };
  }
  return null;
}
