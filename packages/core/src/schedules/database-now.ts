import type { Queryable } from '../db/queryable.js';

/** The database's clock: schedules compute their ticks from it, never from this host's. */
export async function databaseNow(db: Queryable): Promise<Date> {
  const { rows } = await db.query<{ now: Date }>('select now() as now');
  return rows[0]!.now;
}
