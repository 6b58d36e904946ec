import { InvalidQueryError } from '../errors.js';

export type ListOrder = 'asc' | 'desc';

/**
 * Where a page of listTasks ended: the last task's exact created_at and id, and the order the
 * page was read in. `createdAt` is an ISO string with microseconds (`2030-01-01T09:00:00.123456Z`):
 * timestamptz keeps microseconds and a JS Date only milliseconds, so a Date would land the next
 * page between tasks created within the same millisecond and skip or repeat some of them.
 */
export interface TaskCursor {
  createdAt: string;
  id: string;
  order: ListOrder;
}

/** The cursor as JSON, with short keys so that it stays short in a URL. */
interface EncodedCursor {
  c: string;
  i: string;
  o: ListOrder;
}

/** The exact form the listing query renders created_at in (to_char … 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'). */
const MICROSECOND_ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{6})Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const BASE64URL = /^[A-Za-z0-9_-]+$/;
/** A real cursor is about 110 characters; anything much longer is not one of ours. */
const MAX_CURSOR_LENGTH = 256;

/** Opaque to clients: base64url of a small JSON object, safe in a query string as is. */
export function encodeTaskCursor(cursor: TaskCursor): string {
  const encoded: EncodedCursor = { c: cursor.createdAt, i: cursor.id, o: cursor.order };
  return Buffer.from(JSON.stringify(encoded), 'utf8').toString('base64url');
}

/**
 * Decodes a cursor from encodeTaskCursor, checking every part, so a tampered or truncated
 * cursor is refused here with InvalidQueryError('cursor', …) instead of reaching PostgreSQL.
 */
export function decodeTaskCursor(text: string, expectedOrder: ListOrder): TaskCursor {
  const invalid = () => new InvalidQueryError('cursor', 'is not a valid cursor: pass next_cursor from a previous page unchanged');
  // Node's base64url decoder skips characters outside the alphabet; refuse them instead.
  if (text.length === 0 || text.length > MAX_CURSOR_LENGTH || !BASE64URL.test(text)) throw invalid();
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (!isEncodedCursor(value) || !isMicrosecondTimestamp(value.c) || !UUID.test(value.i)) throw invalid();
  if (value.o !== expectedOrder) {
    throw new InvalidQueryError('cursor', `was made for order=${value.o}, not order=${expectedOrder}: keep the order while paging`);
  }
  return { createdAt: value.c, id: value.i, order: value.o };
}

function isEncodedCursor(value: unknown): value is EncodedCursor {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { c, i, o, ...rest } = value as Record<string, unknown>;
  return typeof c === 'string' && typeof i === 'string' && (o === 'asc' || o === 'desc') && Object.keys(rest).length === 0;
}

/** A real UTC instant PostgreSQL can store: calendar-valid, year 1 or later. */
function isMicrosecondTimestamp(value: string): boolean {
  const match = MICROSECOND_ISO.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second);
  return (
    year >= 1 &&
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day &&
    date.getUTCHours() === hour &&
    date.getUTCMinutes() === minute &&
    date.getUTCSeconds() === second
  );
}
