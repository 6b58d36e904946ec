import { checkStored } from '../checks.js';
import { inParallel } from '../concurrency.js';
import { checkpoint, resetTables } from '../database.js';
import { describeAnswer, postJson, startApi } from '../http.js';
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
    const body = JSON.stringify({ task_name: 'noop' });
    const ids: string[] = [];
    const usage = await UsageMeter.start(context.admin, services);
    const started = performance.now();
    await Promise.race([
      inParallel(SINGLE_ENQUEUES, IN_FLIGHT, async () => {
        const answer = await postJson(`${api.baseUrl}/tasks`, body);
        const id = (answer.body as { id?: unknown } | null)?.id;
        if (answer.status !== 201 || typeof id !== 'string') throw new Error(`POST /tasks answered ${describeAnswer(answer.status, answer.body)}`);
        ids.push(id);
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
