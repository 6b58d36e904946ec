import { Inject, Injectable } from '@nestjs/common';
import { checkDatabase, type Pool } from '@taskforge/core';
import { PG_POOL } from '../common/tokens.js';
import { WorkerService } from '../worker/worker.service.js';

export interface WorkerHealth {
  status: 'ok' | 'error';
  worker_id: string;
  database: 'ok' | 'unreachable';
  running: number;
  processed: number;
  completed: number;
  failed: number;
  leases_lost: number;
  rescued: number;
  /** Only when the database is unreachable: why. */
  message?: string;
}

/** What GET /health reports: 503 while the database cannot be reached. */
@Injectable()
export class WorkerHealthService {
  constructor(
    @Inject(PG_POOL) private readonly pool: Pool,
    private readonly worker: WorkerService,
  ) {}

  async check(): Promise<{ statusCode: 200 | 503; body: WorkerHealth }> {
    const problem = await checkDatabase(this.pool);
    const counters = this.worker.counters;
    const body: WorkerHealth = {
      status: problem ? 'error' : 'ok',
      worker_id: this.worker.workerId,
      database: problem ? 'unreachable' : 'ok',
      running: this.worker.runningCount,
      processed: counters.processed,
      completed: counters.completed,
      failed: counters.failed,
      leases_lost: counters.leasesLost,
      rescued: counters.rescued,
    };
    if (problem) return { statusCode: 503, body: { ...body, message: `database unreachable: ${problem}` } };
    return { statusCode: 200, body };
  }
}
