// One benchmark process, forked by graphile-bench.mjs; it talks to its parent over IPC only.
//
//   drain    run graphile-worker's run() and execute the pre-enqueued `bench` jobs; count every
//            execution per payload id; report progress every 10 ms, and the counts at 'stop'
//   latency  run() an idle worker and, in this same process, add jobs one at a time; latency is
//            performance.now() at the start of the task minus performance.now() just before addJob
//   enqueue  single addJob calls from a pool of concurrent loops (no worker)
//
// Every mode reports process.resourceUsage().maxRSS (peak RSS of this process) before it exits.
import { performance } from 'node:perf_hooks';
import { Logger, makeWorkerUtils, run } from 'graphile-worker';

const spec = JSON.parse(process.env.GW_BENCH_SPEC ?? '{}');
const send = (message) => new Promise((resolve) => process.send(message, resolve));

// Quiet, but not silent: warnings and errors of graphile-worker go to stderr.
const logger = new Logger((scope) => (level, message) => {
  if (level === 'error' || level === 'warning') {
    process.stderr.write(`[graphile-worker ${level}${scope?.label ? ` ${scope.label}` : ''}] ${message}\n`);
  }
});

// graphile-worker options: `spec.preset` is the tuned preset (or {} for the defaults).
function workerOptions(taskList) {
  return {
    connectionString: spec.connectionString,
    concurrency: spec.concurrency,
    noHandleSignals: true,
    logger,
    taskList,
    preset: { worker: spec.preset ?? {} },
  };
}

function maxRssKb() {
  return process.resourceUsage().maxRSS; // kilobytes
}

const waitFor = (type) =>
  new Promise((resolve) => {
    const listener = (message) => {
      if (message?.type === type) {
        process.off('message', listener);
        resolve(message);
      }
    };
    process.on('message', listener);
  });

async function drain() {
  const counts = new Map();
  let executed = 0;
  const taskList = {
    bench: async (payload) => {
      counts.set(payload.id, (counts.get(payload.id) ?? 0) + 1);
      executed++;
    },
  };
  const stopRequested = waitFor('stop');
  await send({ type: 'ready' });
  await waitFor('start');
  const runner = await run(workerOptions(taskList));
  let reported = -1;
  const progress = setInterval(() => {
    if (executed !== reported) {
      reported = executed;
      process.send({ type: 'progress', executed });
    }
  }, 10);
  await stopRequested;
  clearInterval(progress);
  await runner.stop();
  await send({ type: 'result', executed, counts: [...counts], maxRssKb: maxRssKb() });
}

async function latency() {
  const { count, intervalMs, warmupMs } = spec;
  const addedAt = new Map();
  const started = new Map();
  const counts = new Map();
  let done;
  const allStarted = new Promise((resolve) => (done = resolve));
  const taskList = {
    bench: async (payload) => {
      const now = performance.now();
      counts.set(payload.id, (counts.get(payload.id) ?? 0) + 1);
      if (!started.has(payload.id)) started.set(payload.id, now);
      if (started.size === count) done();
    },
  };
  // The producer has its own pool, as another part of an application would.
  const utils = await makeWorkerUtils({ connectionString: spec.connectionString, logger });
  await send({ type: 'ready' });
  await waitFor('start');
  const runner = await run(workerOptions(taskList));
  await new Promise((resolve) => setTimeout(resolve, warmupMs)); // let the worker go idle
  for (let id = 0; id < count; id++) {
    addedAt.set(id, performance.now());
    await utils.addJob('bench', { id }, { maxAttempts: 1 });
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const timeout = new Promise((resolve) => setTimeout(resolve, spec.timeoutMs, 'timeout').unref());
  const outcome = await Promise.race([allStarted, timeout]);
  await runner.stop();
  await utils.release();
  const latencies = [...started].map(([id, at]) => at - addedAt.get(id));
  await send({
    type: 'result',
    timedOut: outcome === 'timeout',
    latencies,
    counts: [...counts],
    maxRssKb: maxRssKb(),
  });
}

async function enqueue() {
  const { count, inFlight } = spec;
  const utils = await makeWorkerUtils({ connectionString: spec.connectionString, logger });
  await send({ type: 'ready' });
  await waitFor('start');
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) {
        const id = next++;
        await utils.addJob('bench_enqueue', { id }, { maxAttempts: 1 });
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await utils.release();
  await send({ type: 'result', seconds, maxRssKb: maxRssKb() });
}

process.on('disconnect', () => process.exit(1)); // the parent is gone
const modes = { drain, latency, enqueue };
modes[spec.mode]()
  .then(() => process.exit(0))
  .catch((error) => {
    process.stderr.write(`worker-child (${spec.mode}) failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  });
