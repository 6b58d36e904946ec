import 'reflect-metadata';
import fastifyCors from '@fastify/cors';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, StructuredLogger, type Config } from '@taskforge/core';
import { AppModule } from './app.module.js';
import { CoreErrorFilter } from './common/core-error.filter.js';
import { serveDashboard } from './dashboard/serve-dashboard.js';
import { serveOpenApi } from './openapi/openapi-document.js';
import { requireBearerToken } from './security/bearer-token.js';

/** Methods a browser may use across origins when CORS is on: every method a route answers. */
const CORS_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Builds the API application (not yet listening); main.ts and the tests both start from here. */
export async function createApiApp(config: Config): Promise<NestFastifyApplication> {
  if (!config.DATABASE_URL) throw new Error('DATABASE_URL is required to start the API');
  const logger = new StructuredLogger(createLogger({ level: config.LOG_LEVEL, name: 'api' }));
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    new FastifyAdapter({ bodyLimit: config.API_MAX_BODY_BYTES }),
    { logger },
  );
  const corsOrigins = config.API_CORS_ORIGINS ?? [];
  // CORS first: its hook answers preflights and adds its headers before the token check can refuse.
  if (corsOrigins.length > 0) await app.register(fastifyCors, { origin: corsOrigins, methods: CORS_METHODS, maxAge: 600 });
  if (config.API_TOKEN) requireBearerToken(app.getHttpAdapter().getInstance(), config.API_TOKEN);
  app.useGlobalFilters(new CoreErrorFilter(logger, { maxBodyBytes: config.API_MAX_BODY_BYTES }));
  serveOpenApi(app);
  await serveDashboard(app.getHttpAdapter().getInstance());
  return app;
}
