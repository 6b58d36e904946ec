// graphile-worker 0.18 in the comparison: its settings, how the harness prepares its database, and
// how a child process runs its worker or its producer. See README.md ("Systems").
import { Logger, makeWorkerUtils, run } from 'graphile-worker';
import { packageVersion } from './version.mjs';

/**
 * "Tuned": graphile-worker's batching options, as in its performance page
 * (https://worker.graphile.org/docs/performance, "Batching"); defined as GraphileConfig.WorkerOptions
 * `localQueue`, `completeJobBatchDelay`, `failJobBatchDelay` in node_modules/graphile-worker/dist/index.d.ts
 * and read in dist/main.js (`-1`, the default, means off).
 */
export const TUNED_PRESET = { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 };

export const system = {
  name: 'graphile-worker',
  version: () => packageVersion('graphile-worker'),
  variants: [
    { key: 'defaults', settings: 'run({ concurrency: 10 }): pollInterval 2 s, LISTEN/NOTIFY, no local queue, no batching', preset: {} },
    { key: 'tuned', settings: `preset.worker ${JSON.stringify(TUNED_PRESET)}`, preset: TUNED_PRESET },
  ],
};

// Warnings and errors go to stderr; the rest of graphile-worker's logging is dropped.
const logger = new Logger((scope) => (level, message) => {
  if (level === 'error' || level === 'warning')
    process.stderr.write(`[graphile-worker ${level}${scope?.label ? ` ${scope.label}` : ''}] ${message}\n`);
});

/** The harness's side: migrate once; per run, empty the tables, pre-enqueue, count what is left. */
export async function openDatabase(url, client) {
  const utils = await makeWorkerUtils({ connectionString: url, logger });
  await utils.migrate();
  return {
    async reset() {
      await client.query('truncate graphile_worker._private_jobs, graphile_worker._private_job_queues restart identity cascade');
    },
    async preEnqueue(count) {
      for (let start = 0; start < count; start += 5_000) {
        const specs = [];
        for (let id = start; id < Math.min(count, start + 5_000); id++)
          specs.push({ identifier: 'bench', payload: { id }, maxAttempts: 1 });
        await utils.addJobs(specs);
      }
    },
    /** Jobs not yet completed: graphile-worker deletes a job when it commits its completion. */
    async unfinished() {
      return (await client.query('select count(*)::int as n from graphile_worker._private_jobs')).rows[0].n;
    },
    async stored() {
      return (await client.query('select count(*)::int as n from graphile_worker._private_jobs')).rows[0].n;
    },
    close: () => utils.release(),
  };
}

/** A child's worker: runs `onJob(id)` for every `bench` job. */
export async function startWorker({ url, variant, concurrency, onJob }) {
  const runner = await run({
    connectionString: url,
    concurrency,
    noHandleSignals: true,
    logger,
    taskList: { bench: async (payload) => onJob(payload.id) },
    preset: { worker: variant.preset },
  });
  return { stop: () => runner.stop() };
}

/** A child's producer: single addJob calls on a pool of its own (default size 10). */
export async function startProducer({ url }) {
  const utils = await makeWorkerUtils({ connectionString: url, logger });
  return {
    add: (queue, id) => utils.addJob(queue, { id }, { maxAttempts: 1 }),
    close: () => utils.release(),
  };
}
