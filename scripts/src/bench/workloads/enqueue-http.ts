import { checkStored } from '../checks.js';
import { inParallel } from '../concurrency.js';
import { checkpoint, resetTables } from '../database.js';
import { apiClient, startApi } from '../http.js';
import { stopAll, type Service } from '../processes.js';
import { checkExits, usageOf, type BenchContext, type RunResult } from '../types.js';
import { UsageMeter } from '../usage-meter.js';
import { IN_FLIGHT, SINGLE_ENQUEUES } from './enqueue-core.js';

/** B-http: single POST /tasks to the API process, 10 in flight over keep-alive connections. */
export async function enqueueHttp(context: BenchContext, warn: (message: string) => void): Promise<RunResult> {
  await resetTables(context.admin);
  const services: Service[] = [];
  try {
    const api = await startApi(context.url);
    services.push(api);
    await checkpoint(context.admin);
    const client = apiClient(api.baseUrl);
    const ids: string[] = [];
    const usage = await UsageMeter.start(context.admin, services);
    const started = performance.now();
    await Promise.race([
      inParallel(SINGLE_ENQUEUES, IN_FLIGHT, async () => {
        const submitted = await client.submit({ task_name: 'noop' });
        if (!submitted.created) throw new Error(`POST /tasks answered 200 (an existing task) for ${submitted.id}`);
        ids.push(submitted.id);
      }),
      api.died,
    ]);
    const seconds = (performance.now() - started) / 1_000;
    const cpu = await usage.finish();
    const stopped = await stopAll(services.splice(0));
    checkExits(stopped, warn);
    return {
      tasks_per_s: SINGLE_ENQUEUES / seconds,
      ...(await checkStored(context.admin, ids)),
      ...usageOf(stopped, cpu),
      seconds,
    };
  } finally {
    await stopAll(services);
  }
}
