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
    new Logger('Api').log(`listening on ${config.API_HOST}:${config.API_PORT}`);
  },
  async stop() {
    await app?.close();
  },
});
