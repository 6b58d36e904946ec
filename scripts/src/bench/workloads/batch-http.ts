import { checkStored } from '../checks.js';
import { inParallel } from '../concurrency.js';
import { checkpoint, resetTables } from '../database.js';
import { NotFoundError } from '@taskforge/client';
import { apiClient, startApi } from '../http.js';
import { stopAll, type Service } from '../processes.js';
import { checkExits, usageOf, type BenchContext, type RunResult } from '../types.js';
import { UsageMeter } from '../usage-meter.js';

export const BATCH_REQUESTS = 50;
export const BATCH_SIZE = 1_000;
export const BATCH_IN_FLIGHT = 2;

/** D: POST /tasks/batch with 1,000 tasks per request, 2 requests in flight. */
export async function batchHttp(context: BenchContext, warn: (message: string) => void): Promise<RunResult> {
  await resetTables(context.admin);
  const services: Service[] = [];
  try {
    const api = await startApi(context.url);
    services.push(api);
    await checkpoint(context.admin);
    const client = apiClient(api.baseUrl);
    const batch = Array.from({ length: BATCH_SIZE }, () => ({ task_name: 'noop' }));
    const ids: string[] = [];
    const usage = await UsageMeter.start(context.admin, services);
    const started = performance.now();
    await Promise.race([
      inParallel(BATCH_REQUESTS, BATCH_IN_FLIGHT, async () => {
        // One request each: BATCH_SIZE is at most the client's MAX_BATCH_SIZE.
        const created = await client.submitMany(batch).catch((error: unknown) => {
          if (error instanceof NotFoundError)
            throw new Error(`POST /tasks/batch is not available in this build of the API (${error.message})`);
          throw error;
        });
        if (created.length !== BATCH_SIZE) throw new Error(`POST /tasks/batch returned ${created.length} ids for ${BATCH_SIZE} tasks`);
        ids.push(...created.map((task) => task.id));
      }),
      api.died,
    ]);
    const seconds = (performance.now() - started) / 1_000;
    const cpu = await usage.finish();
    const stopped = await stopAll(services.splice(0));
    checkExits(stopped, warn);
    return {
      tasks_per_s: (BATCH_REQUESTS * BATCH_SIZE) / seconds,
      ...(await checkStored(context.admin, ids)),
      ...usageOf(stopped, cpu),
      seconds,
      requests_per_s: BATCH_REQUESTS / seconds,
    };
  } finally {
    await stopAll(services);
  }
}
