import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createPool, migrateUp, type Pool } from '../../../packages/core/src/index.js';
import { createExecutionsTable } from '../../../scripts/src/fixtures/executions-table.js';
import { startApiHost, startWorkerHost, type HostProcess } from './hosts.js';
import { startNetworkPostgres, type NetworkPostgres } from './network-postgres.js';
import { removeStaleNetworks } from './stale-networks.js';
import { createTestNetwork, type TestNetwork } from './test-network.js';

export interface ScaleOutHarness {
  network: TestNetwork;
  /** The test's own connection to PostgreSQL, from the root namespace: no cut ever touches it. */
  pool: Pool;
  api: HostProcess;
  /** Base URL of the API over its client link. */
  apiUrl: string;
  /** By id: w1, w2, … */
  workers: Map<string, HostProcess>;
  worker(id: string): HostProcess;
}

/**
 * PostgreSQL, the API and `workers` worker processes, each on a host of its own (a network
 * namespace with its own address), for all the tests of one file. Made before the first test,
 * always removed after the last, even when a test or the set-up itself failed; leftovers of
 * a killed run are removed first.
 */
export function useScaleOutHarness(options: { workers: number }): () => ScaleOutHarness {
  const workerIds = Array.from({ length: options.workers }, (_, index) => `w${index + 1}`);
  let network: TestNetwork | undefined;
  let postgres: NetworkPostgres | undefined;
  let pool: Pool | undefined;
  const processes: HostProcess[] = [];
  let harness: ScaleOutHarness | undefined;

  beforeAll(async () => {
    await removeStaleNetworks();
    network = createTestNetwork(['api', ...workerIds]);
    postgres = await startNetworkPostgres({
      dataDir: join(network.stateDir, 'pg'),
      address: network.databaseAddress,
      clientSubnet: network.appSubnet,
    });
    pool = createPool({ connectionString: postgres.url, max: 4 });
    await migrateUp(pool);
    await createExecutionsTable(pool);
    const net = network;
    const databaseUrl = postgres.url;
    const started = await Promise.allSettled([
      startApiHost(net.host('api'), net.apiClientAddress!, databaseUrl),
      ...workerIds.map((id) => startWorkerHost(net.host(id), databaseUrl)),
    ]);
    for (const result of started) if (result.status === 'fulfilled') processes.push(result.value);
    const failed = started.find((result) => result.status === 'rejected');
    if (failed) throw failed.reason;
    const [api, ...workers] = processes as [HostProcess, ...HostProcess[]];
    const byId = new Map(workers.map((worker) => [worker.host.role, worker]));
    harness = {
      network: net,
      pool,
      api,
      apiUrl: `http://${net.apiClientAddress}:${new URL(api.healthUrl).port}`,
      workers: byId,
      worker: (id) => byId.get(id) ?? failWith(`no worker ${id}`),
    };
  }, 180_000);

  // What the hosts logged is the first thing to read when a scenario fails.
  afterEach((context) => {
    if (context.task.result?.state !== 'fail') return;
    for (const host of processes) {
      console.log(`--- last log lines of ${host.host.role} ---\n${host.output().split('\n').slice(-40).join('\n')}`);
    }
  });

  afterAll(async () => {
    const problems: unknown[] = [];
    for (const host of processes) host.child.kill('SIGKILL');
    await Promise.all(processes.map((host) => host.exited));
    await pool?.end().catch((error: unknown) => problems.push(error));
    await postgres?.stop().catch((error: unknown) => problems.push(error));
    try {
      network?.destroy();
    } catch (error) {
      problems.push(error);
    }
    if (problems.length > 0) throw new AggregateError(problems, 'tearing down the scale-out harness');
  }, 60_000);

  return () => harness ?? failWith('the scale-out harness exists only inside tests (did its set-up fail?)');
}

function failWith(message: string): never {
  throw new Error(message);
}
