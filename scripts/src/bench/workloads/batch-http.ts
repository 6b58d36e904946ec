import { checkStored } from '../checks.js';
import { inParallel } from '../concurrency.js';
import { checkpoint, resetTables } from '../database.js';
import { describeAnswer, postJson, startApi } from '../http.js';
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
    const body = JSON.stringify({ tasks: Array.from({ length: BATCH_SIZE }, () => ({ task_name: 'noop' })) });
    const ids: string[] = [];
    const usage = await UsageMeter.start(context.admin, services);
    const started = performance.now();
    await Promise.race([
      inParallel(BATCH_REQUESTS, BATCH_IN_FLIGHT, async () => {
        const answer = await postJson(`${api.baseUrl}/tasks/batch`, body);
        if (answer.status === 404) {
          throw new Error(`POST /tasks/batch is not available in this build of the API (404 ${JSON.stringify(answer.body)})`);
        }
        const returned = (answer.body as { ids?: unknown } | null)?.ids;
        if (answer.status !== 201 || !Array.isArray(returned) || returned.length !== BATCH_SIZE) {
          throw new Error(`POST /tasks/batch answered ${describeAnswer(answer.status, answer.body)}`);
        }
        ids.push(...(returned as string[]));
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
