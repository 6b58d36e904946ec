import { expect } from 'vitest';
import { addTask, claimTasks, getTask, type Task } from '../../packages/core/src/index.js';
import { useTestDatabase } from './test-database.js';

/**
 * What the lease specs share: a database of their own (emptied before each test) and helpers
 * to add, claim and expire tasks and to read times on the database's clock.
 */
export function useLeaseFixtures() {
  const db = useTestDatabase({ truncateEach: true });

  async function add(options: { maxRetries?: number; name?: string } = {}): Promise<Task> {
    return addTask(db.pool, { task_name: options.name ?? 'job', max_retries: options.maxRetries ?? 3 });
  }

  async function claim(workerId = 'worker-1', options: { limit?: number; leaseMs?: number } = {}): Promise<Task[]> {
    return claimTasks(db.pool, { workerId, taskNames: ['job'], limit: options.limit ?? 100, leaseMs: options.leaseMs });
  }

  /** Adds `count` tasks and has `workerId` claim exactly those. */
  async function addAndClaim(options: { count?: number; maxRetries?: number; workerId?: string; leaseMs?: number } = {}): Promise<Task[]> {
    const count = options.count ?? 1;
    for (let i = 0; i < count; i += 1) await add({ maxRetries: options.maxRetries });
    const claimed = await claim(options.workerId, { limit: count, leaseMs: options.leaseMs });
    expect(claimed).toHaveLength(count);
    return claimed;
  }

  /** Makes the lease of these tasks lapse, as if their worker had stopped heartbeating a while ago. */
  async function expireLeases(ids: readonly string[], agoMs = 1_000): Promise<void> {
    await db.pool.query(`update tasks set lease_expires_at = now() - $2 * interval '1 millisecond' where id = any($1::uuid[])`, [
      ids,
      agoMs,
    ]);
  }

  /** Milliseconds from the DB's now() to `at` (negative when `at` is in the past). */
  async function msFromDbNow(at: Date): Promise<number> {
    const { rows } = await db.pool.query<{ ms: number }>(`select (extract(epoch from ($1::timestamptz - now())) * 1000)::float8 as ms`, [
      at,
    ]);
    return rows[0]!.ms;
  }

  /** lease_expires_at - locked_at in ms, computed by PostgreSQL at full (microsecond) precision. */
  async function leaseLengthMs(id: string): Promise<number> {
    const { rows } = await db.pool.query<{ ms: number }>(
      `select (extract(epoch from (lease_expires_at - locked_at)) * 1000)::float8 as ms from tasks where id = $1`,
      [id],
    );
    return rows[0]!.ms;
  }

  async function allRows(): Promise<Task[]> {
    const { rows } = await db.pool.query<{ id: string }>('select id from tasks order by id');
    return Promise.all(rows.map((row) => getTask(db.pool, row.id)));
  }

  const rescueError = (workerId: string) => `lease expired: worker ${workerId} stopped heartbeating`;
  return { db, add, claim, addAndClaim, expireLeases, msFromDbNow, leaseLengthMs, allRows, rescueError };
}
