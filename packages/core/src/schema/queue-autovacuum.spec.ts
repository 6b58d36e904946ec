import { describe, expect, it } from 'vitest';
import { useTestDatabase } from '../../../../test/support/test-database.js';

describe('tasks table autovacuum settings (migration 004)', () => {
  const db = useTestDatabase();

  it('vacuums and analyzes the queue table far more eagerly than the defaults, without cost sleeps', async () => {
    const { rows } = await db.pool.query<{ reloptions: string[] | null }>(`select reloptions from pg_class where oid = 'tasks'::regclass`);
    expect([...(rows[0]!.reloptions ?? [])].sort()).toEqual(
      [
        'autovacuum_vacuum_scale_factor=0.01',
        'autovacuum_vacuum_threshold=1000',
        'autovacuum_vacuum_insert_scale_factor=0.01',
        'autovacuum_analyze_scale_factor=0.02',
        'autovacuum_vacuum_cost_delay=0',
      ].sort(),
    );
  });
});
