import type { Queryable } from '@taskforge/core';
import { PostgresCpuMeter } from './postgres-cpu.js';
import type { Service } from './processes.js';

export interface TimedCpu {
  /** The product's PostgreSQL backends (null when the server is not on this machine). */
  postgres: number | null;
  /** This process: the load generator's share of the two cores. */
  bench: number;
}

/**
 * CPU used during a timed phase outside the product's processes (whose own CPU each Service
 * reports when stopped, from its markCpu() on). Start it when the clock starts; finish it
 * before the services stop, while their backends still exist.
 */
export class UsageMeter {
  private constructor(
    private readonly postgres: PostgresCpuMeter,
    private readonly bench: NodeJS.CpuUsage,
  ) {}

  static async start(db: Queryable, services: readonly Service[] = []): Promise<UsageMeter> {
    for (const service of services) service.markCpu();
    const postgres = await PostgresCpuMeter.start(db);
    return new UsageMeter(postgres, process.cpuUsage());
  }

  async finish(): Promise<TimedCpu> {
    const { user, system } = process.cpuUsage(this.bench);
    return { postgres: await this.postgres.read(), bench: (user + system) / 1e6 };
  }
}
