import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import type { LiveWorker, QueueStats } from '@taskforge/core';
import { MonitorService } from './monitor.service.js';

@Controller('monitor')
export class MonitorController {
  constructor(private readonly monitor: MonitorService) {}

  /** Healthy means the database answers, not merely that this process is up. */
  @Get('health')
  async health(): Promise<{ status: 'ok' }> {
    const problem = await this.monitor.databaseProblem();
    if (problem) throw new ServiceUnavailableException({ status: 'error', message: `database unreachable: ${problem}` });
    return { status: 'ok' };
  }

  @Get('stats')
  stats(): Promise<QueueStats> {
    return this.monitor.stats();
  }

  @Get('workers')
  async workers(): Promise<{ workers: LiveWorker[] }> {
    return { workers: await this.monitor.workers() };
  }
}
