// The workloads compare.mjs runs for every system, and the rows of its table: the rows of issue 15's
// comparison, each with the target where it has one. See README.md.

export const CONCURRENCY = 10;
/** B: single enqueue calls, as taskforge's B-core (scripts/src/bench/workloads/enqueue-core.ts). */
export const ENQUEUES = 5_000;
export const IN_FLIGHT = 10;
/** C: as taskforge's C-core (scripts/src/bench/workloads/pickup-latency.ts). */
export const LATENCY_JOBS = 300;
export const LATENCY_GAP_MS = 20;

export const WORKLOADS = [
  { name: 'A', kind: 'drain', processes: 1, title: 'drain, 1 process × concurrency 10' },
  { name: 'A2', kind: 'drain', processes: 2, title: 'drain, 2 processes × concurrency 10 each' },
  { name: 'B', kind: 'enqueue', title: `${ENQUEUES.toLocaleString('en-US')} single enqueues, ${IN_FLIGHT} in flight` },
  { name: 'C', kind: 'latency', title: `pickup latency of an idle worker, ${LATENCY_JOBS} jobs ${LATENCY_GAP_MS} ms apart` },
];
export const WORKLOAD_NAMES = WORKLOADS.map((w) => w.name);

/**
 * The table's rows: which workload and metric, which way is better, and the target as a ratio
 * taskforge / best anchor (≥ for 'higher', ≤ for 'lower'); rows without a target show the ratio only.
 */
export const ROWS = [
  { key: 'A', workload: 'A', metric: 'tasks_per_s', unit: 'tasks/s', better: 'higher', target: 1.5, label: 'A tasks/s from process start' },
  {
    key: 'A-after',
    workload: 'A',
    metric: 'tasks_per_s_after_startup',
    unit: 'tasks/s',
    better: 'higher',
    label: 'A tasks/s after start-up',
  },
  {
    key: 'A2',
    workload: 'A2',
    metric: 'tasks_per_s',
    unit: 'tasks/s',
    better: 'higher',
    target: 1.5,
    label: 'A2 tasks/s from process start',
  },
  {
    key: 'A2-after',
    workload: 'A2',
    metric: 'tasks_per_s_after_startup',
    unit: 'tasks/s',
    better: 'higher',
    label: 'A2 tasks/s after start-up',
  },
  {
    key: 'B',
    workload: 'B',
    metric: 'tasks_per_s',
    unit: 'tasks/s',
    better: 'higher',
    target: 1.5,
    label: 'B single enqueue, 10 in flight',
  },
  { key: 'C-p50', workload: 'C', metric: 'p50_ms', unit: 'ms', better: 'lower', target: 1, label: 'C pickup latency p50' },
  { key: 'C-p99', workload: 'C', metric: 'p99_ms', unit: 'ms', better: 'lower', target: 1, label: 'C pickup latency p99' },
  { key: 'startup', workload: 'A', metric: 'startup_ms', unit: 'ms', better: 'lower', label: 'worker start-up (spawn → ready), A' },
  {
    key: 'worker-cpu',
    workload: 'A',
    metric: 'worker_cpu_us_per_task',
    unit: 'µs/task',
    better: 'lower',
    label: 'worker CPU per task, A, after start-up',
  },
  {
    key: 'postgres-cpu',
    workload: 'A',
    metric: 'postgres_cpu_us_per_task',
    unit: 'µs/task',
    better: 'lower',
    label: 'PostgreSQL CPU per task, A',
  },
];
