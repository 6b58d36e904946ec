import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import {
  createHttpMetrics,
  createMetricsRegistry,
  registerPoolMetrics,
  registerQueueMetrics,
  type Pool,
  type Registry,
} from '@taskforge/core';
import type { FastifyInstance } from 'fastify';
import { PG_POOL } from '../common/tokens.js';

/**
 * The API's metrics: HTTP requests by route and status, the pool, and the queue's gauges read
 * from the database at each scrape. Requests are counted by a Fastify hook, so 404s and errors
 * thrown before a controller runs count too.
 */
@Injectable()
export class ApiMetricsService implements OnModuleInit {
  readonly registry: Registry = createMetricsRegistry();

  constructor(
    @Inject(PG_POOL) pool: Pool,
    private readonly adapterHost: HttpAdapterHost,
  ) {
    registerPoolMetrics(this.registry, pool);
    registerQueueMetrics(this.registry, pool);
  }

  onModuleInit(): void {
    const http = createHttpMetrics(this.registry);
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.addHook('onResponse', (request, reply, done) => {
      http.answered(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1_000);
      done();
    });
  }

  metrics(): Promise<string> {
    return this.registry.metrics();
  }
}
