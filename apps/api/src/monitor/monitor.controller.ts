import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import type { TaskStats } from '@taskforge/core';
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
  stats(): Promise<TaskStats> {
    return this.monitor.stats();
  }
}
