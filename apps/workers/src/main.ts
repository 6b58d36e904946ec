import { Logger } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, installProcessGuards, loadConfig, runUntilSignal } from '@taskforge/core';
import { createWorkerApp } from './create-worker-app.js';

let app: NestFastifyApplication | undefined;

// On SIGTERM/SIGINT: stop claiming, let running tasks finish (up to WORKER_SHUTDOWN_TIMEOUT_MS), exit 0.
runUntilSignal({
  async start() {
    const config = loadConfig();
    // An error a handler lets escape (an unhandled rejection, say) fails its task, not the process.
    installProcessGuards(createLogger({ level: config.LOG_LEVEL, name: 'worker' }));
    app = await createWorkerApp(config);
    await app.listen({ port: config.WORKER_PORT, host: config.WORKER_HOST });
    new Logger('Worker').log(`health on ${config.WORKER_HOST}:${config.WORKER_PORT}/health`);
  },
  async stop() {
    await app?.close();
  },
});
