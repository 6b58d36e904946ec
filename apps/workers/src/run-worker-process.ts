import { type INestApplicationContext, Logger } from '@nestjs/common';
import { createLogger, installProcessGuards, loadConfig, runUntilSignal } from '@taskforge/core';
import { createWorkerApp, type CreateWorkerAppOptions } from './create-worker-app.js';
import { HealthServer } from './health/health-server.js';

/**
 * Runs a worker as a process: health on WORKER_PORT, claiming until SIGTERM/SIGINT, then
 * stop claiming, let running tasks finish (up to WORKER_SHUTDOWN_TIMEOUT_MS), release the
 * rest and exit 0. `options.imports` adds modules with more handlers.
 */
export function runWorkerProcess(options: CreateWorkerAppOptions = {}): void {
  let app: INestApplicationContext | undefined;
  runUntilSignal({
    async start() {
      const config = loadConfig();
      // An error a handler lets escape (an unhandled rejection, say) fails its task, not the process.
      installProcessGuards(createLogger({ level: config.LOG_LEVEL, name: 'worker' }));
      app = await createWorkerApp(config, options);
      await app.init();
      await app.get(HealthServer).listen(config.WORKER_PORT, config.WORKER_HOST);
      new Logger('Worker').log(`health on ${config.WORKER_HOST}:${config.WORKER_PORT}/health`);
    },
    async stop() {
      await app?.close();
    },
  });
}
