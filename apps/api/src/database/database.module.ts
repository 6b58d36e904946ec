import { Global, Inject, Module, type OnApplicationShutdown } from '@nestjs/common';
import { createPool, poolSizeFor, type Config, type Pool } from '@taskforge/core';
import { CONFIG, PG_POOL } from '../common/tokens.js';

/** Owns the API's connection pool: one per process, closed after the HTTP server stops. */
@Global()
@Module({
  providers: [
    {
      provide: PG_POOL,
      inject: [CONFIG],
      useFactory: (config: Config) =>
        createPool({
          connectionString: config.DATABASE_URL!,
          max: poolSizeFor(config, 'api'),
          preparedStatements: config.DATABASE_PREPARED_STATEMENTS,
          applicationName: 'taskforge-api',
          // A request must never hang on the database for more than a few seconds: it gets a 503.
          queryTimeoutMs: 5_000,
        }),
    },
  ],
  exports: [PG_POOL],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(@Inject(PG_POOL) private readonly pool: Pool) {}

  async onApplicationShutdown(): Promise<void> {
    await this.pool.end();
  }
}
