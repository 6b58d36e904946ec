// taskforge in the comparison, measured by the root bench's own code (scripts/dist/bench, built by
// `tsc -b`), so its figures are those of `npm run bench`: A and A2 spawn `node apps/workers/dist/main.js`
// as drain.ts does, B is B-core (enqueueCore) and C is C-core (pickupLatency) unchanged. The drain is
// drain.ts's protocol, re-stated here only to read the worker's CPU at /health (start-up apart).
import { fileURLToPath } from 'node:url';
import { drainResult } from '../summary.mjs';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const dist = (file) => import(`${ROOT}scripts/dist/bench/${file}`);

const [{ checkDrain }, { checkpoint, openBenchDatabase, resetTables }, { DrainWatcher }, processes, { PostgresCpuMeter }, procStats] =
  await Promise.all([
    dist('checks.js'),
    dist('database.js'),
    dist('drain-watcher.js'),
    dist('processes.js'),
    dist('postgres-cpu.js'),
    dist('proc-stats.js'),
  ]);
const [{ enqueueCore }, { pickupLatency }] = await Promise.all([dist('workloads/enqueue-core.js'), dist('workloads/pickup-latency.js')]);
const { SCRIPTS, Service, stopAll, killAllChildren } = processes;
const { readCpuSeconds } = procStats;

export const system = {
  name: 'taskforge',
  version: () => 'this checkout',
  variants: [{ key: '', settings: 'WORKER_MAX_CONCURRENT_TASKS=10, everything else as shipped' }],
};

export { killAllChildren };

/** The root bench's scratch database (migrated, with task_executions) on the server of DATABASE_URL. */
export async function openDatabase(serverUrl, options) {
  process.env.DATABASE_URL = serverUrl;
  const database = await openBenchDatabase({ quiet: true });
  const context = { url: database.url, admin: database.admin, options: { runs: options.runs, tasks: options.jobs, json: true, only: [] } };
  return { context, description: database.description, close: () => database.close() };
}

/** A / A2: drain.ts's drain, the worker's CPU read at /health (its start-up) and at the end. */
export async function drain(context, run, { workers: count, label, timeoutMs }) {
  const { admin, url, options } = context;
  await resetTables(admin);
  const { rows } = await admin.query('select now()::text as now');
  const since = rows[0].now;
  await admin.query(`insert into tasks (task_name, max_retries) select 'noop', 0 from generate_series(1, $1)`, [options.tasks]);
  await checkpoint(admin);
  const watcher = await DrainWatcher.open(url);
  const workers = [];
  try {
    const postgres = await PostgresCpuMeter.start(admin);
    const started = performance.now();
    for (let n = 1; n <= count; n++) {
      const env = { DATABASE_URL: url, WORKER_MAX_CONCURRENT_TASKS: '10', WORKER_ID: `compare-${label}-r${run}-w${n}`, LOG_LEVEL: 'warn' };
      workers.push(await Service.start(`worker-${n}`, SCRIPTS.worker, env, 'WORKER_PORT'));
    }
    const cpuAtReady = new Map();
    const startup = Promise.all(
      workers.map(async (worker) => {
        const ms = await worker.waitForHttp(`http://127.0.0.1:${worker.port}/health`);
        cpuAtReady.set(worker, readCpuSeconds(worker.pid));
        return ms;
      }),
    );
    startup.catch(() => undefined);
    const finished = await watcher.waitUntilDrained({ timeoutMs: timeoutMs, failures: workers.map((worker) => worker.died) });
    const seconds = (finished - started) / 1_000;
    const startupMs = Math.max(...(await startup));
    const workerCpu = workers.reduce(
      (sum, worker) => sum + (readCpuSeconds(worker.pid) ?? Number.NaN) - (cpuAtReady.get(worker) ?? Number.NaN),
      0,
    );
    const postgresCpu = await postgres.read();
    const stopped = await stopAll(workers.splice(0));
    const checks = await checkDrain(admin, since, options.tasks);
    return drainResult({
      tasks: options.tasks,
      seconds,
      startupMs,
      workerCpuS: workerCpu,
      postgresCpuS: postgresCpu,
      ...checks,
      peakRssMb: [...stopped.values()].map((result) => result.peakRssMb),
    });
  } finally {
    await stopAll(workers);
    await watcher.close();
  }
}

/** B: B-core as `npm run bench` runs it (addTask + TaskNotifier from the bench process, 10 in flight). */
export async function enqueue(context) {
  const result = await enqueueCore(context);
  return { tasks_per_s: result.tasks_per_s, seconds: result.seconds, duplicates: result.duplicates, missing: result.missing };
}

/** C: C-core as `npm run bench` runs it (the fixture worker's `record` handler writes its start time). */
export async function latency(context, run, warn) {
  const result = await pickupLatency(context, run, 'core', warn);
  const { p50_ms, p95_ms, p99_ms, duplicates, missing, peak_rss_mb, max_ms } = result;
  return { p50_ms, p95_ms, p99_ms, max_ms, duplicates, missing, peak_rss_mb };
}
