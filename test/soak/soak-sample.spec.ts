import type { PoolClient } from 'pg';
import { describe, expect, it } from 'vitest';
import { readAutovacuumSettings, readSoakSample } from '../../scripts/src/soak/soak-sample.js';
import { useTestDatabase } from '../support/test-database.js';

describe('readSoakSample', () => {
  const db = useTestDatabase({ truncateEach: true });

  /** In a rolled-back transaction now() is one instant, so which rows fall in the interval does not depend on timing. */
  async function inOneInstant(work: (client: PoolClient, now: Date) => Promise<void>): Promise<void> {
    const client = await db.pool.connect();
    try {
      await client.query('begin');
      const { rows } = await client.query<{ now: Date }>('select now()');
      await work(client, rows[0]!.now);
    } finally {
      await client.query('rollback');
      client.release();
    }
  }

  /** A task whose latest attempt started `startedAgoMs` before now, `pickupMs` after it was due. */
  async function started(
    client: PoolClient,
    startedAgoMs: number,
    pickupMs: number,
    outcome: 'running' | 'completed' | 'failed',
  ): Promise<void> {
    await client.query(
      `insert into tasks (task_name, status, max_retries, attempts, started_at, scheduled_at, finished_at, locked_by, lease_expires_at)
       select 'noop', $1, 0, 1, t, t - $3::float8 * interval '1 ms',
              case when $1 <> 'running' then t end,
              case when $1 = 'running' then 'w1' end,
              case when $1 = 'running' then now() + interval '1 minute' end
         from (select now() - $2::float8 * interval '1 ms' as t) started`,
      [outcome, startedAgoMs, pickupMs],
    );
  }

  async function queued(client: PoolClient, dueInMs: number, count: number): Promise<void> {
    await client.query(
      `insert into tasks (task_name, max_retries, scheduled_at)
       select 'noop', 0, now() + $1::float8 * interval '1 ms' from generate_series(1, $2::int)`,
      [dueInMs, count],
    );
  }

  it('reports the pickup percentiles and the counts of the interval only', async () => {
    await inOneInstant(async (client, now) => {
      for (let i = 1; i <= 100; i++) await started(client, 1_000, i, i % 10 === 0 ? 'failed' : 'completed');
      await started(client, 500, 5, 'running');
      await started(client, 20_000, 60_000, 'completed');
      await queued(client, -2_000, 3);
      await queued(client, 60_000, 2);

      const sample = await readSoakSample(client, { since: new Date(now.getTime() - 10_000) });

      expect(sample.at).toEqual(now);
      expect(sample.started).toBe(101);
      expect(sample.pickupP50Ms).toBe(50);
      expect(sample.pickupP99Ms).toBe(99);
      expect(sample.completed).toBe(90);
      expect(sample.failedPermanently).toBe(10);
      expect(sample.dueBacklog).toBe(3);
      expect(sample.queued).toBe(5);
      expect(sample.running).toBe(1);
    });
  });

  it('has no percentiles when nothing started, and reads the table figures from the catalog', async () => {
    await inOneInstant(async (client, now) => {
      const sample = await readSoakSample(client, { since: now });
      expect(sample.started).toBe(0);
      expect(sample.pickupP50Ms).toBeNull();
      expect(sample.pickupP99Ms).toBeNull();
      expect(sample.tableBytes).toBeGreaterThanOrEqual(0);
      expect(sample.indexBytes).toBeGreaterThan(0);
      for (const counter of [sample.liveTuples, sample.deadTuples, sample.autovacuumCount, sample.autoanalyzeCount, sample.deletedTuples]) {
        expect(Number.isFinite(counter)).toBe(true);
      }
    });
  });

  it("reads the server's autovacuum switch and the table's own autovacuum settings", async () => {
    const settings = await readAutovacuumSettings(db.pool);
    const { rows } = await db.pool.query<{ autovacuum: string }>('show autovacuum');
    expect(settings.enabled).toBe(rows[0]!.autovacuum === 'on');
    expect(settings.naptime).toMatch(/^\d+(ms|s|min|h)$/);
    expect(settings.tableOptions).toContain('autovacuum_vacuum_scale_factor=0.01');
  });
});
