// One process of a library under comparison (graphile-worker, pg-boss, BullMQ), forked by
// compare.mjs; it talks to its parent over IPC only. The library is imported here, after the
// spawn, so module loading is part of the start-up the parent times.
//
//   drain    start the library's worker at once and run the pre-enqueued `bench` jobs; count every
//            execution per payload id; report progress every 10 ms, and the counts at 'stop'
//   latency  an idle worker and, in this same process, a producer adding one job every 20 ms
//            (start to start); latency = performance.now() at the start of the job's function minus
//            performance.now() just before the add call
//   enqueue  single add calls from `inFlight` concurrent loops (no worker), after one warm-up add per loop
//
// Every mode reports process.resourceUsage().maxRSS (peak RSS of this process) before it exits.
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadSystem } from './systems/index.mjs';

const spec = JSON.parse(process.env.COMPARE_CHILD_SPEC ?? '{}');
const adapter = await loadSystem(spec.system);
const variant = adapter.system.variants.find((v) => v.key === spec.variant);
const send = (message) => new Promise((resolve) => process.send(message, resolve));
const maxRssKb = () => process.resourceUsage().maxRSS;

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
  const stopRequested = waitFor('stop');
  const worker = await adapter.startWorker({
    url: spec.url,
    variant,
    concurrency: spec.concurrency,
    onJob: async (id) => {
      counts.set(id, (counts.get(id) ?? 0) + 1);
      executed++;
    },
  });
  await send({ type: 'ready' });
  let reported = -1;
  const progress = setInterval(() => {
    if (executed !== reported) {
      reported = executed;
      process.send({ type: 'progress', executed });
    }
  }, 10);
  await stopRequested;
  clearInterval(progress);
  await worker.stop();
  await send({ type: 'result', executed, counts: [...counts], maxRssKb: maxRssKb() });
}

async function latency() {
  const { count, intervalMs, warmupMs } = spec;
  const addedAt = new Map();
  const started = new Map();
  const counts = new Map();
  let allStarted;
  const done = new Promise((resolve) => (allStarted = resolve));
  const worker = await adapter.startWorker({
    url: spec.url,
    variant,
    concurrency: spec.concurrency,
    onJob: async (id) => {
      const now = performance.now();
      counts.set(id, (counts.get(id) ?? 0) + 1);
      if (!started.has(id)) started.set(id, now);
      if (started.size === count) allStarted();
    },
  });
  const producer = await adapter.startProducer({ url: spec.url, variant });
  await send({ type: 'ready' });
  await waitFor('start');
  await sleep(warmupMs); // the worker's first fetches found nothing: it is idle now
  const begin = performance.now();
  for (let id = 0; id < count; id++) {
    await sleep(Math.max(0, begin + id * intervalMs - performance.now()));
    addedAt.set(id, performance.now());
    await producer.add('bench', id);
  }
  const outcome = await Promise.race([done, sleep(spec.timeoutMs, 'timeout')]);
  await worker.stop();
  await producer.close();
  const latencies = [...started].map(([id, at]) => at - addedAt.get(id));
  await send({ type: 'result', timedOut: outcome === 'timeout', latencies, counts: [...counts], maxRssKb: maxRssKb() });
}

async function enqueue() {
  const { count, inFlight } = spec;
  const producer = await adapter.startProducer({ url: spec.url, variant });
  // A running application's pool is warm, as taskforge's B-core makes its own: one add per loop
  // before the clock starts (ids -1, -2, …; the parent counts them out of the stored rows).
  await Promise.all(Array.from({ length: inFlight }, (_, i) => producer.add('bench_enqueue', -1 - i)));
  await send({ type: 'ready' });
  await waitFor('start');
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (next < count) await producer.add('bench_enqueue', next++);
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await producer.close();
  await send({ type: 'result', seconds, maxRssKb: maxRssKb() });
}

process.on('disconnect', () => process.exit(1)); // the parent is gone
const modes = { drain, latency, enqueue };
modes[spec.mode]()
  .then(() => process.exit(0))
  .catch((error) => {
    process.stderr.write(`system-child (${spec.system} ${spec.variant} ${spec.mode}) failed: ${error?.stack ?? error}\n`);
    process.exit(1);
  });
