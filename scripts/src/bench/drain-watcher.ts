import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';

/**
 * Detects the end of a drain cheaply: every 20 ms, one query asks whether any task is still
 * claimable or running. Both questions are answered from the partial indexes the product
 * already has (tasks_claim_idx, tasks_lease_idx), which hold only unfinished tasks, so a
 * poll costs the same with a million finished rows in the table (workload E) as without.
 * Sequential and bitmap scans are disabled on this session only, so that a table whose
 * statistics say "all pending" cannot tempt the planner into a scan of the heap.
 */
export class DrainWatcher {
  private constructor(private readonly client: pg.Client) {}

  static async open(url: string): Promise<DrainWatcher> {
    const client = new pg.Client({ connectionString: url, application_name: 'taskforge-bench-watch' });
    client.on('error', () => undefined);
    await client.connect();
    await client.query('set enable_seqscan = off; set enable_bitmapscan = off');
    return new DrainWatcher(client);
  }

  async busy(): Promise<boolean> {
    const { rows } = await this.client.query<{ busy: boolean }>({
      name: 'bench_drain_busy',
      text: `select exists (select 1 from tasks where taskforge_task_is_queued(status, next_retry_at))
                 or exists (select 1 from tasks where status = 'running') as busy`,
    });
    return rows[0]!.busy;
  }

  /**
   * Polls until nothing is left; resolves with performance.now() at which the deciding poll
   * was sent (its snapshot is the first one without unfinished tasks). Rejects on timeout or
   * when one of `failures` rejects first (a worker process dying, say).
   */
  async waitUntilDrained(options: { timeoutMs: number; intervalMs?: number; failures?: Promise<never>[] }): Promise<number> {
    const interval = options.intervalMs ?? 20;
    const started = performance.now();
    let failed = false;
    const poll = (async () => {
      for (let next = started; !failed; next += interval) {
        const sentAt = performance.now();
        if (!(await this.busy())) return sentAt;
        if (sentAt - started > options.timeoutMs) throw new Error(`the drain did not finish within ${options.timeoutMs} ms`);
        await sleep(Math.max(0, next + interval - performance.now()));
      }
      return Number.NaN;
    })();
    try {
      return await Promise.race([poll, ...(options.failures ?? [])]);
    } finally {
      failed = true;
      await poll.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }
}
