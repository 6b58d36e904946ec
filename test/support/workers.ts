import { anyFreePort } from '../../packages/core/src/embedded/ports.js';
import { startNodeScript, waitFor, type ServiceProcess } from './processes.js';

export interface WorkerProcess extends ServiceProcess {
  id: string;
  healthUrl: string;
}

/** Short leases and intervals, so crash recovery happens within a test's patience. */
export const FAST_WORKER_ENV = {
  WORKER_POLLING_INTERVAL_MS: '50',
  WORKER_HEARTBEAT_INTERVAL_MS: '300',
  WORKER_LEASE_MS: '2000',
  WORKER_RESCUE_INTERVAL_MS: '200',
  RETRY_BASE_DELAY_MS: '100',
  LOG_LEVEL: 'warn',
};

/** Starts `scripts/dist/fixture-worker.js` (built-in task types plus `record` and `poison`) and waits until healthy. */
export async function startFixtureWorker(databaseUrl: string, id: string, env: Record<string, string> = {}): Promise<WorkerProcess> {
  const port = await anyFreePort();
  const process = startNodeScript('scripts/dist/fixture-worker.js', {
    ...FAST_WORKER_ENV,
    DATABASE_URL: databaseUrl,
    WORKER_ID: id,
    WORKER_PORT: String(port),
    ...env,
  });
  const healthUrl = `http://127.0.0.1:${port}/health`;
  try {
    // Generous: on a loaded machine, loading the modules alone has taken over 15 s.
    await waitFor(
      `worker ${id} to be healthy`,
      async () => {
        if (process.child.exitCode !== null) throw new Error(`worker ${id} exited: ${process.output()}`);
        return (await fetch(healthUrl)).ok ? true : undefined;
      },
      { timeoutMs: 60_000 },
    );
  } catch (error) {
    // The caller never gets this process, so nothing else would ever stop it.
    process.child.kill('SIGKILL');
    throw error;
  }
  return { ...process, id, healthUrl };
}
