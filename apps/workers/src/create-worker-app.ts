import 'reflect-metadata';
import { type DynamicModule, type Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, type Config } from '@taskforge/core';
import { AppModule } from './app.module.js';
import { LoggerService } from './logger/logger.service.js';

export interface CreateWorkerAppOptions {
  /** Extra modules, e.g. a test's own handlers. */
  imports?: Array<Type | DynamicModule>;
}

/**
 * Builds the worker application: the claim loop starts when the app initialises (`init()` or
 * `listen()`), and `close()` stops it gracefully. main.ts and the tests both start here.
 */
export async function createWorkerApp(config: Config, options: CreateWorkerAppOptions = {}): Promise<NestFastifyApplication> {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required to start a worker');
  const logger = new LoggerService(createLogger({ level: config.LOG_LEVEL, name: 'worker' }));
  const root = AppModule.forRoot(config, logger);
  root.imports = [...(root.imports ?? []), ...(options.imports ?? [])];
  return NestFactory.create<NestFastifyApplication>(root, new FastifyAdapter(), { logger });
}
