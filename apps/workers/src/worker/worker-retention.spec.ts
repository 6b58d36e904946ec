import type { INestApplicationContext } from '@nestjs/common';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/test-database.js';
import { startWorkerApp, waitFor } from '../../test/worker-test-app.js';

describe('worker app: retention', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db?.drop();
  });

  async function insertFinished(name: string, status: string, agoMinutes: number): Promise<void> {
    await db.pool.query(
      `insert into tasks (task_name, status, max_retries, finished_at) values ($1, $2, 0, now() - $3::float8 * interval '1 minute')`,
      [name, status, agoMinutes],
    );
  }

  async function names(): Promise<string[]> {
    const { rows } = await db.pool.query<{ task_name: string }>('select task_name from tasks order by task_name');
    return rows.map((row) => row.task_name);
  }

  it('deletes expired finished tasks on the configured schedule and retentions, and stops cleanly with the app', async () => {
    let app: INestApplicationContext | undefined = await startWorkerApp(db.url, {
      env: { TASK_RETENTION_INTERVAL_MS: '100', TASK_RETENTION_COMPLETED: '1h', TASK_RETENTION_FAILED: 'off' },
    });
    try {
      await insertFinished('completed-expired', 'completed', 120);
      await insertFinished('cancelled-expired', 'cancelled', 120);
      await insertFinished('completed-recent', 'completed', 10);
      await insertFinished('failed-kept', 'failed', 100_000);
      await waitFor('the expired tasks to be deleted', async () => (await names()).length === 2);
      expect(await names()).toEqual(['completed-recent', 'failed-kept']);
      await app.close();
      app = undefined;
    } finally {
      await app?.close();
    }
    const { rows } = await db.pool.query(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and state like 'idle in transaction%'`,
    );
    expect(rows[0].n).toBe(0);
  });
});
