import { Inject, Injectable } from '@nestjs/common';
import { checkDatabase, getTaskStats, type Pool, type TaskStats } from '@taskforge/core';
import { PG_POOL } from '../common/tokens.js';

@Injectable()
export class MonitorService {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  /** Resolves to null when the database answers, else to the reason it did not. */
  databaseProblem(): Promise<string | null> {
    return checkDatabase(this.pool);
  }

  stats(): Promise<TaskStats> {
    return getTaskStats(this.pool);
  }
}
