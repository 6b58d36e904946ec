import { Inject, Injectable } from '@nestjs/common';
import {
  checkDatabase,
  getQueueStats,
  getThroughputPerMinute,
  listLiveWorkers,
  type Config,
  type LiveWorker,
  type MinuteThroughput,
  type Pool,
  type QueueStats,
} from '@taskforge/core';
import { CONFIG, PG_POOL } from '../common/tokens.js';

/** A worker counts as live while its last heartbeat is at most this many heartbeat intervals old. */
export const LIVE_WORKER_HEARTBEATS = 3;

@Injectable()
export class MonitorService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    @Inject(CONFIG) private readonly config: Config,
  ) {}

  /** Resolves to null when the database answers, else to the reason it did not. */
  databaseProblem(): Promise<string | null> {
    return checkDatabase(this.pool);
  }

  stats(): Promise<QueueStats> {
    return getQueueStats(this.pool);
  }

  throughput(minutes: number): Promise<MinuteThroughput[]> {
    return getThroughputPerMinute(this.pool, { minutes });
  }

  /** Workers seen within 3 heartbeats (WORKER_HEARTBEAT_INTERVAL_MS, as configured for the API). */
  workers(): Promise<LiveWorker[]> {
    return listLiveWorkers(this.pool, { seenWithinMs: LIVE_WORKER_HEARTBEATS * this.config.WORKER_HEARTBEAT_INTERVAL_MS });
  }
}
