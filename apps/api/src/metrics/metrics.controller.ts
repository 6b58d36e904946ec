import { Controller, Get, Res } from '@nestjs/common';
import type { FastifyReply } from 'fastify';
import { ApiMetricsService } from './api-metrics.service.js';

@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetricsService) {}

  /** Prometheus text format. Answers 200 even when the database is down: then `taskforge_queue_stats_up` is 0. */
  @Get()
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const text = await this.metrics.metrics();
    void reply.header('content-type', this.metrics.registry.contentType);
    return text;
  }
}
