import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadConfig, runUntilSignal } from '@taskforge/core';
import { createWorkerApp } from './create-worker-app.js';

let app: NestFastifyApplication | undefined;

// On SIGTERM/SIGINT: stop claiming, let running tasks finish (up to WORKER_SHUTDOWN_TIMEOUT_MS), exit 0.
runUntilSignal({
  async start() {
    const config = loadConfig();
    app = await createWorkerApp(config);
    await app.listen({ port: config.WORKER_PORT, host: config.WORKER_HOST });
    new Logger('Worker').log(`health on ${config.WORKER_HOST}:${config.WORKER_PORT}/health`);
  },
  async stop() {
    await app?.close();
  },
});
