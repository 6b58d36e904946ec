import { readFileSync } from 'node:fs';
import type { Queryable } from '@taskforge/core';
import { readCpuSeconds } from './proc-stats.js';

/** The bench's own sessions, left out of the product's database CPU. */
const BENCH_SESSIONS = ['taskforge-bench', 'taskforge-bench-watch'];

/**
 * CPU used by the client backends of the scratch database other than the bench's own: the
 * database work of the product's processes (and of the bench's application pool in B-core and
 * C-core). Read before those processes stop, as their backends end with them. Reads null when
 * PostgreSQL does not run on this machine (its pids are not ours to read).
 */
export class PostgresCpuMeter {
  private constructor(
    private readonly db: Queryable,
    private readonly baseline: Map<number, number> | null,
  ) {}

  /** Starts counting now: CPU the backends used before is not counted. */
  static async start(db: Queryable): Promise<PostgresCpuMeter> {
    return new PostgresCpuMeter(db, await snapshot(db));
  }

  /** CPU seconds the backends used since start(). */
  async read(): Promise<number | null> {
    const now = await snapshot(this.db);
    if (!now || !this.baseline) return null;
    let total = 0;
    for (const [pid, seconds] of now) total += seconds - (this.baseline.get(pid) ?? 0);
    return total;
  }
}

async function snapshot(db: Queryable): Promise<Map<number, number> | null> {
  const { rows } = await db.query<{ pid: number }>(
    `select pid from pg_stat_activity
      where datname = current_database() and backend_type = 'client backend'
        and pid <> pg_backend_pid() and coalesce(application_name, '') <> all($1::text[])`,
    [BENCH_SESSIONS],
  );
  const cpu = new Map<number, number>();
  for (const { pid } of rows) {
    const seconds = isLocalPostgres(pid) ? readCpuSeconds(pid) : null;
    if (seconds === null) return null;
    cpu.set(pid, seconds);
  }
  return cpu;
}

function isLocalPostgres(pid: number): boolean {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').startsWith('postgres');
  } catch {
    return false;
  }
}
