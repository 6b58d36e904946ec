import 'reflect-metadata';
import { type DynamicModule, type INestApplicationContext, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, type Config } from '@taskforge/core';
import { AppModule } from './app.module.js';
import { LoggerService } from './logger/logger.service.js';

export interface CreateWorkerAppOptions {
  /** Extra modules, e.g. a test's own handlers. */
  imports?: Array<Type | DynamicModule>;
}

/**
 * Builds the worker application (a Nest application context: no HTTP framework). The claim
 * loop starts on `init()`, `close()` stops it gracefully; `app.get(HealthServer).listen()`
 * serves GET /health. runWorkerProcess and the tests both start here.
 */
export async function createWorkerApp(config: Config, options: CreateWorkerAppOptions = {}): Promise<INestApplicationContext> {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required to start a worker');
  const logger = new LoggerService(createLogger({ level: config.LOG_LEVEL, name: 'worker' }));
  const root = AppModule.forRoot(config, logger);
  root.imports = [...(root.imports ?? []), ...(options.imports ?? [])];
  return NestFactory.createApplicationContext(root, { logger });
}
