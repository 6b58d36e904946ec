import { Controller, Get, Query, ServiceUnavailableException } from '@nestjs/common';
import { ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  THROUGHPUT_DEFAULT_MINUTES,
  THROUGHPUT_MAX_MINUTES,
  type LiveWorker,
  type MinuteThroughput,
  type QueueStats,
} from '@taskforge/core';
import { ZodQueryPipe } from '../common/zod-query.pipe.js';
import { ApiErrorResponses, ApiZodResponse } from '../openapi/zod-openapi.decorators.js';
import { throughputQuery, type ThroughputQuery } from './monitor-requests.js';
import { healthFailureResponse, healthResponse, liveWorkersResponse, taskStatsResponse, throughputResponse } from './monitor-responses.js';
import { MonitorService } from './monitor.service.js';

@ApiTags('monitor')
@Controller('monitor')
export class MonitorController {
  constructor(private readonly monitor: MonitorService) {}

  /** Healthy means the database answers, not merely that this process is up. */
  @Get('health')
  @ApiOperation({ summary: 'Whether the API can reach its database (never needs the token)' })
  @ApiZodResponse(200, healthResponse, 'The database answers')
  @ApiZodResponse(503, healthFailureResponse, 'The database did not answer within 3 seconds')
  // The route itself refuses nothing, but like every route it can get a request the HTTP server
  // cannot read (both Content-Length and Transfer-Encoding, say), answered before the route runs.
  @ApiErrorResponses([400], { 400: 'The HTTP request itself is malformed; the server answers it before the health check runs' })
  async health(): Promise<{ status: 'ok' }> {
    const problem = await this.monitor.databaseProblem();
    if (problem) throw new ServiceUnavailableException({ status: 'error', message: `database unreachable: ${problem}` });
    return { status: 'ok' };
  }

  @Get('stats')
  @ApiOperation({ summary: 'Queue health: counts per status and task name, lag, throughput, table and vacuum health' })
  @ApiZodResponse(200, taskStatsResponse, 'Every status, zeros included, and the queue health fields')
  @ApiErrorResponses([503])
  stats(): Promise<QueueStats> {
    return this.monitor.stats();
  }

  @Get('workers')
  @ApiOperation({ summary: 'Live workers (heartbeat within 3 × WORKER_HEARTBEAT_INTERVAL_MS)' })
  @ApiZodResponse(200, liveWorkersResponse, 'Each live worker and the tasks it holds')
  @ApiErrorResponses([503])
  async workers(): Promise<{ workers: LiveWorker[] }> {
    return { workers: await this.monitor.workers() };
  }

  @Get('throughput')
  @ApiOperation({ summary: 'Completed and failed-for-good tasks per minute over the last N minutes, oldest first' })
  @ApiQuery({
    name: 'minutes',
    required: false,
    type: Number,
    description: `1 to ${THROUGHPUT_MAX_MINUTES}, default ${THROUGHPUT_DEFAULT_MINUTES}; over 60 the windows add up to throughput.last_hour of /monitor/stats`,
  })
  @ApiZodResponse(200, throughputResponse, 'One entry per minute, zeros included')
  @ApiErrorResponses([400, 503], { 400: 'minutes is not an integer from 1 to 1440, or an unknown parameter was given' })
  async throughput(@Query(new ZodQueryPipe(throughputQuery)) query: ThroughputQuery): Promise<{ minutes: MinuteThroughput[] }> {
    return { minutes: await this.monitor.throughput(query.minutes) };
  }
}
