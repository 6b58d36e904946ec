import type { Queryable } from '../db/queryable.js';

/**
 * Which of these tasks are cancelled. A worker asks when a task it runs slipped out of its
 * hands (a heartbeat did not renew it, a completion was refused), to tell a cancel from a
 * lost lease: rare, so one lookup by primary key is cheap.
 */
export async function cancelledTaskIds(db: Queryable, ids: readonly string[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const { rows } = await db.query<{ id: string }>(`select id from tasks where id = any($1::uuid[]) and status = 'cancelled'`, [ids]);
  return new Set(rows.map((row) => row.id));
}
