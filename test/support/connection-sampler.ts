import pg from 'pg';

export interface ConnectionSamples {
  /** Samples taken. */
  count: number;
  /** Most connections seen at once per application_name (connections of this database only). */
  maxByApplication: Map<string, number>;
  /** Samples taken while at least one task was running. */
  whileRunning: number;
}

/**
 * Counts a database's connections per application_name in pg_stat_activity, sample after
 * sample on a connection of its own, until stopped; keeps the most seen of each. Also notes
 * whether tasks were running at each sample, so a test can show it sampled a busy system.
 */
export class ConnectionSampler {
  private readonly samples: ConnectionSamples = { count: 0, maxByApplication: new Map(), whileRunning: 0 };
  private stopping = false;
  private loop: Promise<void> | undefined;

  private constructor(private readonly client: pg.Client) {}

  static async start(databaseUrl: string, intervalMs = 25): Promise<ConnectionSampler> {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'connection-sampler' });
    await client.connect();
    const sampler = new ConnectionSampler(client);
    sampler.loop = sampler.run(intervalMs);
    return sampler;
  }

  async stop(): Promise<ConnectionSamples> {
    this.stopping = true;
    await this.loop;
    await this.client.end();
    return this.samples;
  }

  private async run(intervalMs: number): Promise<void> {
    while (!this.stopping) {
      const { rows } = await this.client.query<{ application_name: string; connections: number; running: number }>(
        `select application_name, count(*)::int as connections,
                (select count(*)::int from tasks where status = 'running') as running
           from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid()
          group by application_name`,
      );
      this.samples.count += 1;
      if ((rows[0]?.running ?? 0) > 0) this.samples.whileRunning += 1;
      for (const row of rows) {
        const seen = this.samples.maxByApplication.get(row.application_name) ?? 0;
        this.samples.maxByApplication.set(row.application_name, Math.max(seen, row.connections));
      }
      await new Promise((resolve) => setTimeout(resolve, intervalMs));
    }
  }
}
