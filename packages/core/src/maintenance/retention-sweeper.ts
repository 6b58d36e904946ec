import type { Pool } from 'pg';
import type { Logger } from 'pino';
import { deleteExpiredTasks, type DeletedBatch, type RetentionKind } from '../tasks/delete-expired-tasks.js';

export interface RetentionSweeperOptions {
  pool: Pool;
  /** Completed and cancelled tasks are deleted this long after they finished; null keeps them. */
  completedRetentionMs: number | null;
  /** Tasks failed for good are deleted this long after they finished; null keeps them. */
  failedRetentionMs: number | null;
  /** Pause between the end of one sweep and the start of the next. */
  intervalMs: number;
  /** Most tasks one statement deletes (default 1,000). */
  batchSize?: number;
  logger: Logger;
}

export interface SweepResult {
  /** Tasks deleted, per kind. */
  completed: number;
  failed: number;
  /** The advisory lock was held by another sweeper, so this one stopped (or never started). */
  yielded: boolean;
}

/** Any constant works; it only has to be the same for every worker on this database. */
export const RETENTION_LOCK_KEY = 7_461_823_020;

export const DEFAULT_RETENTION_BATCH_SIZE = 1_000;

/**
 * Deletes finished tasks past their retention, every `intervalMs`, so the hot table stays small.
 *
 * One sweeper at a time across all workers: every batch is its own short transaction that
 * first takes `pg_try_advisory_xact_lock(RETENTION_LOCK_KEY)`; a sweeper that cannot get it
 * stops until its next interval. A transaction-scoped lock rather than a session lock held
 * for the whole sweep, because it cannot outlive its transaction: no lock is left behind by a
 * connection returned to the pool mid-sweep, it works through a pooler in transaction mode,
 * and no batch holds row locks or the snapshot (the vacuum horizon) for longer than itself.
 * Between two batches another worker may take over; batches still never overlap, and a row is
 * deleted once.
 */
export class RetentionSweeper {
  private readonly batchSize: number;
  private timer: NodeJS.Timeout | undefined;
  private sweeping: Promise<unknown> | undefined;
  private stopping = false;

  constructor(private readonly options: RetentionSweeperOptions) {
    this.batchSize = options.batchSize ?? DEFAULT_RETENTION_BATCH_SIZE;
  }

  private get enabled(): boolean {
    return this.options.completedRetentionMs !== null || this.options.failedRetentionMs !== null;
  }

  /** Sweeps every `intervalMs`, the first one interval after start. Nothing to do when both retentions are off. */
  start(): void {
    if (!this.enabled || this.timer || this.stopping) return;
    this.scheduleNext();
  }

  /** No new sweep starts; a sweep in progress finishes its current batch (committed) and stops. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.sweeping;
  }

  /** One sweep now: batch after batch until each kind comes back short, or the lock is elsewhere. */
  async sweep(): Promise<SweepResult> {
    const result: SweepResult = { completed: 0, failed: 0, yielded: false };
    const kinds: [RetentionKind, number | null][] = [
      ['completed', this.options.completedRetentionMs],
      ['failed', this.options.failedRetentionMs],
    ];
    for (const [kind, retentionMs] of kinds) {
      let finishedFrom: Date | null = null;
      while (retentionMs !== null && !this.stopping) {
        const batch = await this.deleteBatchHoldingLock(kind, retentionMs, finishedFrom);
        if (!batch) {
          result.yielded = true;
          return result;
        }
        result[kind] += batch.deleted;
        if (batch.deleted < this.batchSize) break;
        finishedFrom = batch.lastFinishedAt;
      }
    }
    return result;
  }

  private scheduleNext(): void {
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.sweeping = this.sweepAndLog().finally(() => {
        this.sweeping = undefined;
        if (!this.stopping) this.scheduleNext();
      });
    }, this.options.intervalMs);
  }

  private async sweepAndLog(): Promise<void> {
    const { logger } = this.options;
    try {
      const { completed, failed, yielded } = await this.sweep();
      if (completed + failed > 0) logger.info({ completed, failed }, 'retention: deleted expired finished tasks');
      else logger.debug({ yielded }, yielded ? 'retention: another worker is sweeping' : 'retention: nothing expired');
    } catch (error) {
      logger.warn({ err: error }, 'retention sweep failed; trying again at the next interval');
    }
  }

  /** One batch in its own transaction, under the lock; null when another sweeper holds the lock. */
  private async deleteBatchHoldingLock(kind: RetentionKind, retentionMs: number, finishedFrom: Date | null): Promise<DeletedBatch | null> {
    const client = await this.options.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('begin');
      const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_xact_lock($1) as locked', [RETENTION_LOCK_KEY]);
      if (!rows[0]!.locked) {
        await client.query('rollback');
        return null;
      }
      const batch = await deleteExpiredTasks(client, { kind, retentionMs, limit: this.batchSize, finishedFrom });
      await client.query('commit');
      return batch;
    } catch (error) {
      // Destroyed rather than returned to the pool: a connection whose transaction may still be open is never reused.
      broken = error instanceof Error ? error : new Error(String(error));
      throw error;
    } finally {
      client.release(broken);
    }
  }
}
