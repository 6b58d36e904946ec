import type { WorkloadName } from '../options.js';
import type { Workload } from '../types.js';
import { BATCH_IN_FLIGHT, BATCH_REQUESTS, BATCH_SIZE, batchHttp } from './batch-http.js';
import { drain } from './drain.js';
import { enqueueCore, IN_FLIGHT, SINGLE_ENQUEUES } from './enqueue-core.js';
import { enqueueHttp } from './enqueue-http.js';
import { LATENCY_GAP_MS, LATENCY_TASKS, pickupLatency } from './pickup-latency.js';
import { STARTUP_SPAWNS, startup } from './startup.js';

/** Finished tasks already in the table for workload E. */
export const HISTORY_ROWS = 1_000_000;

const n = (value: number) => value.toLocaleString('en-US');

export const WORKLOADS: Record<WorkloadName, Workload> = {
  S: {
    name: 'S',
    kind: 'startup',
    describe: () => `start-up: ${STARTUP_SPAWNS} worker and ${STARTUP_SPAWNS} API processes, one at a time, from spawn`,
    run: (context, run) => startup(context, run),
  },
  A: {
    name: 'A',
    kind: 'throughput',
    describe: (o) => `drain ${n(o.tasks)} noop tasks, 1 worker process, concurrency 10`,
    run: (context, run, warn) => drain(context, run, { tasks: context.options.tasks, workers: 1, history: 0, label: 'A' }, warn),
  },
  A2: {
    name: 'A2',
    kind: 'throughput',
    describe: (o) => `drain ${n(o.tasks)} noop tasks, 2 worker processes, concurrency 10 each`,
    run: (context, run, warn) => drain(context, run, { tasks: context.options.tasks, workers: 2, history: 0, label: 'A2' }, warn),
  },
  'B-core': {
    name: 'B-core',
    kind: 'throughput',
    describe: () => `${n(SINGLE_ENQUEUES)} addTask calls + TaskNotifier, ${IN_FLIGHT} in flight`,
    run: (context) => enqueueCore(context),
  },
  'B-http': {
    name: 'B-http',
    kind: 'throughput',
    describe: () => `${n(SINGLE_ENQUEUES)} POST /tasks to the API process, ${IN_FLIGHT} in flight`,
    run: (context, _run, warn) => enqueueHttp(context, warn),
  },
  'C-core': {
    name: 'C-core',
    kind: 'latency',
    describe: () => `pickup latency, idle worker: ${LATENCY_TASKS} addTask + notifier, ${LATENCY_GAP_MS} ms apart`,
    run: (context, run, warn) => pickupLatency(context, run, 'core', warn),
  },
  'C-http': {
    name: 'C-http',
    kind: 'latency',
    describe: () => `pickup latency, idle worker: ${LATENCY_TASKS} POST /tasks, ${LATENCY_GAP_MS} ms apart`,
    run: (context, run, warn) => pickupLatency(context, run, 'http', warn),
  },
  D: {
    name: 'D',
    kind: 'throughput',
    describe: () => `${BATCH_REQUESTS} POST /tasks/batch × ${n(BATCH_SIZE)} tasks, ${BATCH_IN_FLIGHT} in flight`,
    run: (context, _run, warn) => batchHttp(context, warn),
  },
  E: {
    name: 'E',
    kind: 'throughput',
    describe: () => `A with ${n(HISTORY_ROWS)} completed tasks already in the table`,
    run: (context, run, warn) => drain(context, run, { tasks: context.options.tasks, workers: 1, history: HISTORY_ROWS, label: 'E' }, warn),
  },
};
