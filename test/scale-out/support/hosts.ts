import { startNodeScript, waitFor, type ServiceProcess } from '../../support/processes.js';
import { IP_COMMAND } from './ip.js';
import type { NetworkHost } from './test-network.js';

export const API_PORT = 3001;
export const WORKER_PORT = 3002;

/**
 * Leases short enough that a cut worker's tasks are rescued within seconds, with four
 * heartbeats per lease so a loaded machine does not lose a healthy worker's leases.
 * No prefetch: every task a worker holds is running, so what it holds when its cable is cut
 * is what it was running, and no handler starts while it is cut off.
 */
export const WORKER_HOST_ENV = {
  WORKER_LEASE_MS: '4000',
  WORKER_HEARTBEAT_INTERVAL_MS: '1000',
  WORKER_POLLING_INTERVAL_MS: '200',
  WORKER_MAX_CONCURRENT_TASKS: '6',
  WORKER_PREFETCH: '0',
  // Lease losses, refusals and rescues are logged at warn; info shows start-up and reconnects.
  LOG_LEVEL: 'info',
} as const;

export interface HostProcess extends ServiceProcess {
  host: NetworkHost;
  /** Where the test reaches its health endpoint. */
  healthUrl: string;
}

/** `ip netns exec <namespace> node <script>`: a process that sees only its host's network. */
function startInNamespace(host: NetworkHost, script: string, env: Record<string, string>): ServiceProcess {
  return startNodeScript(script, env, [], { launcher: [IP_COMMAND, 'netns', 'exec', host.namespace] });
}

/** The API on `apiHost`, reached by the test at `clientAddress` (its second link). */
export async function startApiHost(apiHost: NetworkHost, clientAddress: string, databaseUrl: string): Promise<HostProcess> {
  const started = startInNamespace(apiHost, 'apps/api/dist/main.js', {
    DATABASE_URL: databaseUrl,
    API_PORT: String(API_PORT),
    LOG_LEVEL: 'warn',
  });
  return untilHealthy({ ...started, host: apiHost, healthUrl: `http://${clientAddress}:${API_PORT}/monitor/health` });
}

/** A worker with the fixture task types (`record` logs each execution) on `host`, its id the host's role. */
export async function startWorkerHost(host: NetworkHost, databaseUrl: string): Promise<HostProcess> {
  const started = startInNamespace(host, 'scripts/dist/fixture-worker.js', {
    ...WORKER_HOST_ENV,
    DATABASE_URL: databaseUrl,
    WORKER_ID: host.role,
    WORKER_PORT: String(WORKER_PORT),
  });
  return untilHealthy({ ...started, host, healthUrl: `http://${host.address}:${WORKER_PORT}/health` });
}

async function untilHealthy(host: HostProcess): Promise<HostProcess> {
  try {
    // Generous: on a loaded machine, loading the modules alone has taken over 15 s.
    await waitFor(
      `${host.host.role} to be healthy at ${host.healthUrl}`,
      async () => {
        if (host.child.exitCode !== null) throw new Error(`${host.host.role} exited: ${host.output()}`);
        return (await fetch(host.healthUrl, { signal: AbortSignal.timeout(5_000) })).ok ? true : undefined;
      },
      { timeoutMs: 60_000, intervalMs: 100 },
    );
  } catch (error) {
    host.child.kill('SIGKILL');
    throw error;
  }
  return host;
}
