// The API process. The build bundles this entry, with everything it imports, into dist/main.js
// (scripts/src/bundle-services.ts), which `npm run start:api` runs.
import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, runUntilSignal } from '@taskforge/core';
import { createApiApp } from './create-api-app.js';

let app: NestFastifyApplication | undefined;

// On SIGTERM/SIGINT: stop accepting connections, let requests in flight finish, close the pool, exit 0.
runUntilSignal({
  async start() {
    const config = loadConfig();
    app = await createApiApp(config);
    await app.listen({ port: config.API_PORT, host: config.API_HOST });
    const logger = new Logger('Api');
    logger.log(`listening on ${config.API_HOST}:${config.API_PORT}`);
    // The first thing a new user wants to open; a wildcard address is not one a browser can use.
    const browsable = ['0.0.0.0', '::'].includes(config.API_HOST) ? 'localhost' : config.API_HOST;
    logger.log(`dashboard: http://${browsable.includes(':') ? `[${browsable}]` : browsable}:${config.API_PORT}/dashboard/`);
  },
  async stop() {
    await app?.close();
  },
});
