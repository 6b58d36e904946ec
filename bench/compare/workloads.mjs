// The workloads of graphile-bench.mjs: the same as taskforge's `npm run bench` (see README.md).

export const CONCURRENCY = 10;

/**
 * "Tuned": graphile-worker's batching options, as in its performance page
 * (https://worker.graphile.org/docs/performance, "Batching"); defined as GraphileConfig.WorkerOptions
 * `localQueue`, `completeJobBatchDelay`, `failJobBatchDelay` in
 * node_modules/graphile-worker/dist/index.d.ts and read in dist/main.js (`localQueue: { size }`,
 * `completeJobBatchDelay = -1`, `failJobBatchDelay = -1`: -1 means off, the default).
 */
export const TUNED_PRESET = { localQueue: { size: 500 }, completeJobBatchDelay: 0, failJobBatchDelay: 0 };

export const WORKLOADS = [
  { name: 'A', kind: 'drain', processes: 1, preset: {}, title: 'drain, 1 process × concurrency 10, defaults' },
  { name: 'A-tuned', kind: 'drain', processes: 1, preset: TUNED_PRESET, title: 'drain, 1 process × concurrency 10, tuned' },
  { name: 'A2', kind: 'drain', processes: 2, preset: {}, title: 'drain, 2 processes × concurrency 10, defaults' },
  { name: 'A2-tuned', kind: 'drain', processes: 2, preset: TUNED_PRESET, title: 'drain, 2 processes × concurrency 10, tuned' },
  { name: 'B', kind: 'enqueue', title: 'single addJob calls, 10 in flight, 1 process' },
  { name: 'C', kind: 'latency', preset: {}, title: 'pickup latency, idle worker, defaults' },
  { name: 'C-tuned', kind: 'latency', preset: TUNED_PRESET, title: 'pickup latency, idle worker, tuned' },
];
