import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { ApiMetricsService } from './api-metrics.service.js';

@ApiTags('monitor')
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: ApiMetricsService) {}

  /** Prometheus text format. Answers 200 even when the database is down: then `taskforge_queue_stats_up` is 0. */
  @Get()
  @ApiOperation({ summary: 'Prometheus metrics: the queue (tasks by status and name, lag), HTTP requests, the pool, the process' })
  @ApiProduces('text/plain')
  @ApiResponse({ status: 200, description: 'Prometheus text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } })
  async metricsText(@Res({ passthrough: true }) reply: FastifyReply): Promise<string> {
    const text = await this.metrics.metrics();
    void reply.header('content-type', this.metrics.registry.contentType);
    return text;
  }
}
