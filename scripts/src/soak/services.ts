import { startApi } from '../bench/http.js';
import { readRssMb } from '../bench/proc-stats.js';
import { SCRIPTS, Service, stopAll } from '../bench/processes.js';
import type { SoakOptions } from './options.js';

export interface SoakServices {
  api: Service & { baseUrl: string };
  workers: Service[];
  /** Rejects as soon as any of them exits before stop(). */
  died: Promise<never>;
  /** Resident memory of the largest of them now, MB. */
  largestRssMb(): number | null;
  stop(): Promise<void>;
}

/**
 * The real API and `workers` real worker processes (apps/workers with its built-in noop and
 * fail handlers), started as a user starts them, with the soak's retention and quiet logs.
 */
export async function startSoakServices(url: string, options: SoakOptions): Promise<SoakServices> {
  const env = {
    DATABASE_URL: url,
    LOG_LEVEL: 'warn',
    TASK_RETENTION_COMPLETED: options.retentionCompleted,
    TASK_RETENTION_FAILED: options.retentionFailed,
    TASK_RETENTION_INTERVAL_MS: String(options.retentionIntervalMs),
  };
  const started: Service[] = [];
  try {
    const workers: (Service & { port: number })[] = [];
    for (let n = 1; n <= options.workers; n++) {
      const worker = await Service.start(`worker ${n}`, SCRIPTS.worker, { ...env, WORKER_ID: `soak-w${n}` }, 'WORKER_PORT');
      started.push(worker);
      workers.push(worker);
    }
    const api = await startApi(url);
    started.push(api);
    await Promise.all(workers.map((worker) => worker.waitForHttp(`http://127.0.0.1:${worker.port}/health`)));
    const all = [api, ...workers];
    const died = Promise.race(all.map((service) => service.died));
    died.catch(() => undefined);
    return {
      api,
      workers,
      died,
      largestRssMb() {
        const sizes = all.map((service) => readRssMb(service.pid)).filter((mb): mb is number => mb !== null);
        return sizes.length === 0 ? null : Math.max(...sizes);
      },
      async stop() {
        await stopAll(all);
      },
    };
  } catch (error) {
    await stopAll(started);
    throw error;
  }
}
