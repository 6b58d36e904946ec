// graphile-worker on this machine, with the same workloads as taskforge's `npm run bench`,
// for a side-by-side comparison. See README.md for the protocol.
//
//   node graphile-bench.mjs [--runs N] [--only A,A-tuned,...] [--json]
//                           [--jobs N] [--enqueues N] [--latency-jobs N]
//
// Works in a scratch database gw_bench_<random hex> on the server of DATABASE_URL
// (default postgres://postgres@127.0.0.1:5432/postgres) and drops it at the end.
import { fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { Logger, makeWorkerUtils } from 'graphile-worker';
import { parseOptions } from './options.mjs';
import { quantile, round2, summarize, table } from './summary.mjs';
import { CONCURRENCY, WORKLOADS } from './workloads.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const GW_VERSION = JSON.parse(readFileSync(here('./node_modules/graphile-worker/package.json'), 'utf8')).version;

// ---------------------------------------------------------------------------------------------
// Workloads

// ---------------------------------------------------------------------------------------------
// Scratch database

function withDatabase(url, database) {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function createScratchDatabase(serverUrl) {
  const name = `gw_bench_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  let dropped = false;
  return {
    name,
    url: withDatabase(serverUrl, name),
    async drop() {
      if (dropped) return;
      dropped = true;
      const client = new pg.Client({ connectionString: serverUrl });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Child processes

const children = new Set();

function spawnChild(spec) {
  const child = fork(here('./worker-child.mjs'), [], {
    env: { ...process.env, GW_BENCH_SPEC: JSON.stringify(spec) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  children.add(child);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  const waiters = [];
  const messages = [];
  child.on('message', (message) => {
    if (message?.type === 'progress') return child.emit('progress', message);
    const index = waiters.findIndex((w) => w.type === message?.type);
    if (index >= 0) waiters.splice(index, 1)[0].resolve(message);
    else messages.push(message);
  });
  const next = (type) => {
    const index = messages.findIndex((m) => m?.type === type);
    if (index >= 0) return Promise.resolve(messages.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      waiters.push({ type, resolve });
      exited.then(({ code, signal }) =>
        reject(new Error(`child ${child.pid} (${spec.mode}) exited (${signal ?? code}) before sending '${type}'`)),
      );
    });
  };
  return { child, next, exited };
}

function killChildren() {
  for (const child of children) child.kill('SIGKILL');
}

// ---------------------------------------------------------------------------------------------
// Measurements

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
/** Like sleep, but does not keep the process alive (for deadlines that usually never fire). */
const deadlineAfter = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref());

async function resetJobs(client) {
  await client.query(`truncate graphile_worker._private_jobs, graphile_worker._private_job_queues restart identity cascade`);
}

async function countJobs(client) {
  const { rows } = await client.query(`select count(*)::int as n from graphile_worker._private_jobs`);
  return rows[0].n;
}

/** Pre-enqueues `count` jobs of task `bench` with payload {id}, in batches through add_jobs. */
async function preEnqueue(utils, count) {
  const BATCH = 5_000;
  for (let start = 0; start < count; start += BATCH) {
    const specs = [];
    for (let id = start; id < Math.min(count, start + BATCH); id++) {
      specs.push({ identifier: 'bench', payload: { id }, maxAttempts: 1 });
    }
    await utils.addJobs(specs);
  }
}

/** Exactly-once check over the counts sent back by the children: Map(id → executions). */
function exactlyOnce(expectedIds, counts) {
  let duplicates = 0;
  let unexpected = 0;
  for (const [id, n] of counts) {
    if (!Number.isInteger(id) || id < 0 || id >= expectedIds) unexpected += n;
    else if (n > 1) duplicates += n - 1;
  }
  let missing = 0;
  for (let id = 0; id < expectedIds; id++) if (!counts.has(id)) missing++;
  return { duplicates, missing, unexpected };
}

function mergeCounts(results) {
  const merged = new Map();
  for (const result of results) for (const [id, n] of result.counts) merged.set(id, (merged.get(id) ?? 0) + n);
  return merged;
}

const mb = (kb) => Math.round((kb / 1024) * 10) / 10;

async function drainRun(ctx, workload) {
  const { client, utils, url, options } = ctx;
  const N = options.jobs;
  await resetJobs(client);
  await preEnqueue(utils, N);
  if ((await countJobs(client)) !== N) throw new Error('pre-enqueue did not insert every job');

  const procs = Array.from({ length: workload.processes }, () =>
    spawnChild({ mode: 'drain', connectionString: url, concurrency: CONCURRENCY, preset: workload.preset }),
  );
  try {
    await Promise.all(procs.map((p) => p.next('ready')));
    const executedBy = new Map();
    let allExecuted;
    const executed = new Promise((resolve) => (allExecuted = resolve));
    for (const p of procs) {
      p.child.on('progress', ({ executed: n }) => {
        executedBy.set(p.child.pid, n);
        let sum = 0;
        for (const v of executedBy.values()) sum += v;
        if (sum >= N) allExecuted();
      });
    }
    const deadline = 10 * 60_000;
    const t0 = performance.now();
    for (const p of procs) p.child.send({ type: 'start' });
    // End: every task function has run (progress from the children, every 10 ms) and every
    // completion is committed (graphile-worker deletes a job when it completes it).
    const raced = await Promise.race([
      executed.then(() => 'ok'),
      deadlineAfter(deadline).then(() => 'timeout'),
      ...procs.map((p) => p.exited.then(() => 'exited')),
    ]);
    if (raced !== 'ok') throw new Error(`drain did not finish: ${raced}`);
    while ((await countJobs(client)) > 0) {
      if (performance.now() - t0 > deadline) throw new Error('drain: jobs left in the table at the deadline');
      await sleep(5);
    }
    const seconds = (performance.now() - t0) / 1000;
    for (const p of procs) p.child.send({ type: 'stop' });
    const results = await Promise.all(procs.map((p) => p.next('result')));
    await Promise.all(procs.map((p) => p.exited));
    const check = exactlyOnce(N, mergeCounts(results));
    return {
      tasks_per_s: Math.round(N / seconds),
      seconds: Math.round(seconds * 1000) / 1000,
      duplicates: check.duplicates,
      missing: check.missing,
      ...(check.unexpected ? { unexpected: check.unexpected } : {}),
      peak_rss_mb: Math.max(...results.map((r) => mb(r.maxRssKb))),
      ...(procs.length > 1 ? { peak_rss_mb_each: results.map((r) => mb(r.maxRssKb)) } : {}),
    };
  } finally {
    for (const p of procs) if (p.child.exitCode === null) p.child.kill('SIGKILL');
  }
}

async function enqueueRun(ctx) {
  const { client, url, options } = ctx;
  const N = options.enqueues;
  await resetJobs(client);
  const p = spawnChild({ mode: 'enqueue', connectionString: url, count: N, inFlight: 10 });
  try {
    await p.next('ready');
    p.child.send({ type: 'start' });
    const result = await p.next('result');
    await p.exited;
    const rows = await countJobs(client);
    return {
      tasks_per_s: Math.round(N / result.seconds),
      seconds: Math.round(result.seconds * 1000) / 1000,
      duplicates: Math.max(0, rows - N),
      missing: Math.max(0, N - rows),
    };
  } finally {
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
  }
}

async function latencyRun(ctx, workload) {
  const { client, url, options } = ctx;
  const N = options.latencyJobs;
  await resetJobs(client);
  const p = spawnChild({
    mode: 'latency',
    connectionString: url,
    concurrency: CONCURRENCY,
    preset: workload.preset,
    count: N,
    intervalMs: 20,
    warmupMs: 1000,
    timeoutMs: 60_000,
  });
  try {
    await p.next('ready');
    p.child.send({ type: 'start' });
    const result = await p.next('result');
    await p.exited;
    const sorted = [...result.latencies].sort((a, b) => a - b);
    const check = exactlyOnce(N, new Map(result.counts));
    return {
      p50_ms: round2(quantile(sorted, 0.5)),
      p95_ms: round2(quantile(sorted, 0.95)),
      p99_ms: round2(quantile(sorted, 0.99)),
      max_ms: round2(sorted[sorted.length - 1]),
      duplicates: check.duplicates,
      missing: check.missing,
      peak_rss_mb: mb(result.maxRssKb),
    };
  } finally {
    if (p.child.exitCode === null) p.child.kill('SIGKILL');
  }
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const parsed = parseOptions(process.argv.slice(2));
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const { options } = parsed;
  const selected = WORKLOADS.filter((w) => !options.only || options.only.has(w.name));
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const log = (message) => process.stderr.write(`${message}\n`);

  const scratch = await createScratchDatabase(serverUrl);
  const cleanup = async () => {
    killChildren();
    await scratch.drop().catch((error) => log(`could not drop ${scratch.name}: ${error.message}`));
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: stopping, dropping ${scratch.name}`);
      cleanup().finally(() => process.exit(130));
    });
  }
  log(
    `graphile-worker ${GW_VERSION}, node ${process.version}, scratch database ${scratch.name}, ${options.runs} run(s) of ${selected.map((w) => w.name).join(', ')}`,
  );

  const client = new pg.Client({ connectionString: scratch.url });
  const quiet = new Logger(() => (level, message) => {
    if (level === 'error') log(`[graphile-worker] ${message}`);
  });
  let utils;
  try {
    await client.connect();
    utils = await makeWorkerUtils({ connectionString: scratch.url, logger: quiet });
    await utils.migrate();
    const ctx = { client, utils, url: scratch.url, options };
    const summaries = [];
    for (const workload of selected) {
      const runs = [];
      for (let run = 1; run <= options.runs; run++) {
        const result =
          workload.kind === 'drain'
            ? await drainRun(ctx, workload)
            : workload.kind === 'enqueue'
              ? await enqueueRun(ctx)
              : await latencyRun(ctx, workload);
        log(`  ${workload.name} run ${run}/${options.runs}: ${JSON.stringify(result)}`);
        runs.push(result);
      }
      const summary = summarize(workload, runs, options, GW_VERSION);
      summaries.push(summary);
      if (options.json) console.log(JSON.stringify(summary));
    }
    // With --json, stdout has only the JSON lines; the table goes to stderr.
    (options.json ? log : console.log)(`\n${table(summaries, options, GW_VERSION)}`);
  } finally {
    await utils?.release().catch(() => {});
    await client.end().catch(() => {});
    await cleanup();
  }
}

main().catch((error) => {
  process.stderr.write(`graphile-bench failed: ${error?.stack ?? error}\n`);
  killChildren();
  process.exitCode = 1;
});
