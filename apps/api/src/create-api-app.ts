import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, StructuredLogger, type Config } from '@taskforge/core';
import { AppModule } from './app.module.js';
import { CoreErrorFilter } from './common/core-error.filter.js';

/** Builds the API application (not yet listening); main.ts and the tests both start from here. */
export async function createApiApp(config: Config): Promise<NestFastifyApplication> {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required to start the API');
  const logger = new StructuredLogger(createLogger({ level: config.LOG_LEVEL, name: 'api' }));
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config), new FastifyAdapter(), {
    logger,
  });
  app.useGlobalFilters(new CoreErrorFilter(logger));
  return app;
}
