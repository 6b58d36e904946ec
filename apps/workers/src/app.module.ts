import { type DynamicModule, Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createPool, poolSizeFor, type Config, type Pool } from '@taskforge/core';
import { CONFIG, PG_POOL } from './common/tokens.js';
import { HealthServer } from './health/health-server.js';
import { WorkerHealthService } from './health/worker-health.service.js';
import { LoggerService } from './logger/logger.service.js';
import { WorkerModule } from './worker/worker.module.js';

/** Configuration, logger and pool, visible to every module (handlers included). */
@Global()
@Module({})
class CoreModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  static forRoot(config: Config, logger: LoggerService): DynamicModule {
    const pool = createPool({
      connectionString: config.DATABASE_URL!,
      max: poolSizeFor(config, 'worker'),
      preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
      applicationName: `taskforge-worker ${config.WORKER_ID}`.slice(0, 63),
    });
    return {
      module: CoreModule,
      providers: [
        { provide: CONFIG, useValue: config },
        { provide: LoggerService, useValue: logger },
        { provide: PG_POOL, useValue: pool },
      ],
      exports: [CONFIG, LoggerService, PG_POOL],
    };
  }

  /** Runs after WorkerService.beforeApplicationShutdown has let running tasks record their outcome. */
  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}

@Module({})
export class AppModule {
  static forRoot(config: Config, logger: LoggerService): DynamicModule {
    return {
      module: AppModule,
      imports: [CoreModule.forRoot(config, logger), WorkerModule],
      providers: [WorkerHealthService, HealthServer],
    };
  }
}
