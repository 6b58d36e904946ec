// taskforge beside graphile-worker, pg-boss and BullMQ (on PostgreSQL): the same workloads through
// one protocol, in one run, interleaved. See README.md.
//
//   node compare.mjs [--runs N] [--only taskforge,pg-boss,A,C] [--json] [--jobs N] [--drain-timeout S]
//
// Every system works in a scratch database of its own on the server of DATABASE_URL (default
// postgres://postgres@127.0.0.1:5432/postgres), dropped at the end, also after an error or Ctrl-C.
import { fork } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { parseOptions } from './options.mjs';
import { compareRow, drainResult, exactlyOnce, formatTable, percentile, summarizeRuns } from './summary.mjs';
import { loadSystem } from './systems/index.mjs';
import { CONCURRENCY, ENQUEUES, IN_FLIGHT, LATENCY_GAP_MS, LATENCY_JOBS, ROWS, WORKLOADS } from './workloads.mjs';

const here = (file) => fileURLToPath(new URL(file, import.meta.url));
const ROOT = here('../../');
// The root bench's /proc readers and scratch databases (scripts/dist, built by `tsc -b`): the same
// CPU accounting for every system. Its PostgreSQL meter leaves out sessions named taskforge-bench*.
const { PostgresCpuMeter } = await import(`${ROOT}scripts/dist/bench/postgres-cpu.js`);
const { readCpuSeconds, readPeakRssMb } = await import(`${ROOT}scripts/dist/bench/proc-stats.js`);
const { createScratchDatabase } = await import(`${ROOT}scripts/dist/scratch-database.js`);
const HARNESS_SESSION = 'taskforge-bench';

const log = (message) => process.stderr.write(`${message}\n`);

// ---------------------------------------------------------------------------------------------
// Child processes of the libraries (system-child.mjs)

const children = new Set();

function spawnChild(spec) {
  const child = fork(here('./system-child.mjs'), [], {
    env: { ...process.env, COMPARE_CHILD_SPEC: JSON.stringify(spec) },
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
  /** The next message of `type`; rejects if the child exits first or `timeoutMs` passes. */
  const next = (type, timeoutMs = 120_000) => {
    const index = messages.findIndex((m) => m?.type === type);
    if (index >= 0) return Promise.resolve(messages.splice(index, 1)[0]);
    return new Promise((resolve, reject) => {
      waiters.push({ type, resolve });
      const timer = setTimeout(
        () => reject(new Error(`${spec.system} ${spec.mode}: no '${type}' within ${timeoutMs / 1000} s`)),
        timeoutMs,
      );
      timer.unref();
      exited.then(({ code, signal }) =>
        reject(new Error(`${spec.system} ${spec.mode} child exited (${signal ?? code}) before sending '${type}'`)),
      );
    });
  };
  return { child, next, exited };
}

function killChildren() {
  for (const child of children) child.kill('SIGKILL');
}

const killIfAlive = (p) => p.child.exitCode === null && p.child.signalCode === null && p.child.kill('SIGKILL');

// ---------------------------------------------------------------------------------------------
// One run of a workload for a library

function withParam(url, key, value) {
  const u = new URL(url);
  u.searchParams.set(key, value);
  return u.toString();
}

async function checkpoint(client) {
  await client.query('checkpoint').catch(() => undefined);
}

async function libraryDrain(lib, variant, workload, options) {
  const N = options.jobs;
  const deadlineMs = options.drainTimeoutS * 1000;
  await lib.db.reset(variant);
  await lib.db.preEnqueue(N, variant);
  if ((await lib.db.unfinished(variant)) !== N) throw new Error('pre-enqueue did not store every job');
  await checkpoint(lib.client);
  const postgres = await PostgresCpuMeter.start(lib.client);
  const t0 = performance.now();
  const spec = { system: lib.name, variant: variant.key, mode: 'drain', url: lib.url, concurrency: CONCURRENCY };
  const procs = Array.from({ length: workload.processes }, () => spawnChild(spec));
  try {
    const readyAt = new Map();
    const cpuAtReady = new Map();
    const ready = Promise.all(
      procs.map(async (p) => {
        await p.next('ready', deadlineMs);
        readyAt.set(p, performance.now() - t0);
        cpuAtReady.set(p, readCpuSeconds(p.child.pid));
      }),
    );
    ready.catch(() => undefined);
    const executedBy = new Map();
    let allExecuted;
    const executed = new Promise((resolve) => (allExecuted = resolve));
    const total = () => [...executedBy.values()].reduce((sum, n) => sum + n, 0);
    for (const p of procs) {
      p.child.on('progress', ({ executed: n }) => {
        executedBy.set(p, n);
        if (total() >= N) allExecuted();
      });
    }
    const remaining = () => Math.max(0, deadlineMs - (performance.now() - t0));
    const raced = await Promise.race([
      executed.then(() => 'ok'),
      sleep(remaining(), 'timeout'),
      ...procs.map((p) => p.exited.then(() => 'exited')),
    ]);
    if (raced === 'exited') throw new Error('a worker process exited during the drain');
    let partial = raced === 'timeout';
    // Every function ran; the drain ends when every completion is committed too.
    while (!partial && (await lib.db.unfinished(variant)) > 0) {
      if (remaining() === 0) partial = true;
      else await sleep(5);
    }
    const seconds = (performance.now() - t0) / 1000;
    const doneAtEnd = partial ? total() : N;
    await Promise.race([ready, sleep(1000)]);
    const startupMs = Math.max(...procs.map((p) => readyAt.get(p) ?? Number.NaN));
    const workerCpuS = procs.reduce((sum, p) => sum + (readCpuSeconds(p.child.pid) ?? Number.NaN) - (cpuAtReady.get(p) ?? Number.NaN), 0);
    const postgresCpuS = await postgres.read();
    const peakRssMb = procs.map((p) => readPeakRssMb(p.child.pid));
    for (const p of procs) p.child.send({ type: 'stop' });
    const results = await Promise.all(procs.map((p) => p.next('result', 60_000)));
    await Promise.all(procs.map((p) => p.exited));
    const check = exactlyOnce(
      N,
      results.map((r) => r.counts),
    );
    const result = drainResult({
      tasks: doneAtEnd,
      seconds,
      startupMs,
      workerCpuS,
      postgresCpuS,
      duplicates: check.duplicates,
      missing: partial ? 0 : check.missing,
      peakRssMb,
    });
    if (check.unexpected) result.unexpected = check.unexpected;
    if (partial) Object.assign(result, { partial: true, unfinished: N - doneAtEnd });
    return result;
  } finally {
    procs.forEach(killIfAlive);
  }
}

async function libraryEnqueue(lib, variant) {
  await lib.db.reset(variant);
  await checkpoint(lib.client);
  const p = spawnChild({ system: lib.name, variant: variant.key, mode: 'enqueue', url: lib.url, count: ENQUEUES, inFlight: IN_FLIGHT });
  try {
    await p.next('ready');
    p.child.send({ type: 'start' });
    const result = await p.next('result');
    await p.exited;
    const stored = (await lib.db.stored(variant)) - IN_FLIGHT; // less the child's warm-up adds
    return {
      tasks_per_s: ENQUEUES / result.seconds,
      seconds: result.seconds,
      duplicates: Math.max(0, stored - ENQUEUES),
      missing: Math.max(0, ENQUEUES - stored),
    };
  } finally {
    killIfAlive(p);
  }
}

async function libraryLatency(lib, variant, warn) {
  await lib.db.reset(variant);
  await checkpoint(lib.client);
  const spec = {
    system: lib.name,
    variant: variant.key,
    mode: 'latency',
    url: lib.url,
    concurrency: CONCURRENCY,
    count: LATENCY_JOBS,
    intervalMs: LATENCY_GAP_MS,
    warmupMs: 1000,
    timeoutMs: 30_000,
  };
  const p = spawnChild(spec);
  try {
    await p.next('ready');
    p.child.send({ type: 'start' });
    const result = await p.next('result');
    await p.exited;
    if (result.timedOut) warn('not every job started within 30 s of the last add');
    const check = exactlyOnce(LATENCY_JOBS, [result.counts]);
    const latencies = result.latencies;
    return {
      p50_ms: percentile(latencies, 50),
      p95_ms: percentile(latencies, 95),
      p99_ms: percentile(latencies, 99),
      max_ms: latencies.length ? Math.max(...latencies) : null,
      duplicates: check.duplicates,
      missing: check.missing,
      peak_rss_mb: result.maxRssKb / 1024,
    };
  } finally {
    killIfAlive(p);
  }
}

// ---------------------------------------------------------------------------------------------
// Systems, columns, the interleaved loop

async function openLibrary(name, serverUrl, cleanups) {
  const adapter = await loadSystem(name);
  const scratch = await createScratchDatabase(serverUrl, `compare_${name.replaceAll('-', '_')}`);
  cleanups.push(() => scratch.drop());
  const harnessUrl = withParam(scratch.url, 'application_name', HARNESS_SESSION);
  const client = new pg.Client({ connectionString: harnessUrl });
  client.on('error', () => undefined);
  await client.connect();
  cleanups.push(() => client.end());
  const db = await adapter.openDatabase(harnessUrl, client);
  cleanups.push(() => db.close());
  return { name, adapter, url: scratch.url, client, db };
}

async function main() {
  const parsed = parseOptions(process.argv.slice(2));
  if ('exitCode' in parsed) process.exit(parsed.exitCode);
  const { options } = parsed;
  const serverUrl = process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
  const workloads = WORKLOADS.filter((w) => options.workloads.includes(w.name));
  const cleanups = [];
  const cleanup = async () => {
    killChildren();
    for (const step of cleanups.splice(0).reverse()) await step().catch((error) => log(`cleanup: ${error.message}`));
  };
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.once(signal, () => {
      log(`${signal}: stopping, dropping the scratch databases`);
      cleanup().finally(() => process.exit(130));
    });
  }

  try {
    // The columns: every selected system and each of its variants.
    const columns = [];
    let taskforge;
    let database = '';
    for (const name of options.systems) {
      if (name === 'taskforge') {
        const module = await import('./systems/taskforge.mjs');
        cleanups.push(async () => module.killAllChildren());
        const opened = await module.openDatabase(serverUrl, options);
        cleanups.push(() => opened.close());
        taskforge = { module, context: opened.context };
        database = opened.description;
        columns.push({ id: 'taskforge', system: 'taskforge', version: 'this checkout', variant: module.system.variants[0] });
      } else {
        const lib = await openLibrary(name, serverUrl, cleanups);
        const version = lib.adapter.system.version();
        for (const variant of lib.adapter.system.variants)
          columns.push({ id: `${name} ${variant.key}`, system: name, version, variant, lib });
      }
    }
    log(
      `bench:compare: ${options.runs} run(s), interleaved, of ${workloads.map((w) => w.name).join(', ')} for ${columns.map((c) => c.id).join(', ')}; node ${process.version}`,
    );

    const results = new Map(); // `${workload} ${column}` → { runs, warnings, errors }
    const slot = (workload, column) => {
      const key = `${workload.name} ${column.id}`;
      if (!results.has(key)) results.set(key, { runs: [], warnings: [], errors: [] });
      return results.get(key);
    };
    for (let run = 1; run <= options.runs; run++) {
      for (const workload of workloads) {
        for (const column of columns) {
          const entry = slot(workload, column);
          const warn = (message) => entry.warnings.push(`run ${run}: ${message}`);
          try {
            const result = await runOne(workload, column, run, options, taskforge, warn);
            entry.runs.push(result);
            log(`  run ${run}/${options.runs} ${workload.name} ${column.id}: ${headline(result)}`);
          } catch (error) {
            entry.errors.push(`run ${run}: ${error.message}`);
            log(`  run ${run}/${options.runs} ${workload.name} ${column.id}: FAILED ${error.message}`);
          }
        }
      }
    }

    const summaries = new Map();
    for (const workload of workloads) {
      for (const column of columns) {
        const entry = slot(workload, column);
        const summary = {
          system: column.system,
          version: column.version,
          variant: column.variant.key || undefined,
          settings: column.variant.settings,
          workload: workload.name,
          ...summarizeRuns(entry.runs),
          runs: entry.runs,
          ...(entry.warnings.length ? { warnings: entry.warnings } : {}),
          ...(entry.errors.length ? { errors: entry.errors } : {}),
        };
        summaries.set(`${workload.name} ${column.id}`, summary);
        if (options.json) console.log(JSON.stringify(summary));
      }
    }
    const rows = ROWS.filter((row) => options.workloads.includes(row.workload));
    const cells = (row) => {
      const map = new Map();
      for (const column of columns) {
        const summary = summaries.get(`${row.workload} ${column.id}`);
        if (summary && typeof summary[row.metric] === 'number')
          map.set(column.id, { value: summary[row.metric], partial: summary.partial });
      }
      return map;
    };
    const ids = columns.map((c) => c.id);
    const report = [
      `bench:compare — ${database || 'PostgreSQL'}; node ${process.version}; ${options.runs === 1 ? '1 run' : `medians of ${options.runs} runs`}, interleaved; A/A2: ${options.jobs.toLocaleString('en-US')} jobs; ratio = taskforge / best anchor`,
      '',
      formatTable(rows, ids, cells),
      '',
      ...notes(workloads, columns, summaries),
    ].join('\n');
    (options.json ? log : console.log)(report);
    if (options.json) {
      for (const row of rows) {
        const rowCells = cells(row);
        const values = new Map(ids.map((id) => [id, rowCells.get(id)?.value ?? null]));
        const { best, ratio, pass } = compareRow(row, values);
        console.log(
          JSON.stringify({
            row: row.key,
            label: row.label,
            unit: row.unit,
            values: Object.fromEntries(values),
            best_anchor: best?.column ?? null,
            ratio,
            target: row.target ?? null,
            pass,
          }),
        );
      }
    }
  } finally {
    await cleanup();
  }
}

function runOne(workload, column, run, options, taskforge, warn) {
  if (column.system === 'taskforge') {
    const { module, context } = taskforge;
    if (workload.kind === 'drain')
      return module.drain(context, run, { workers: workload.processes, label: workload.name, timeoutMs: options.drainTimeoutS * 1000 });
    if (workload.kind === 'enqueue') return module.enqueue(context);
    return module.latency(context, run, warn);
  }
  if (workload.kind === 'drain') return libraryDrain(column.lib, column.variant, workload, options);
  if (workload.kind === 'enqueue') return libraryEnqueue(column.lib, column.variant);
  return libraryLatency(column.lib, column.variant, warn);
}

const fixed = (value, digits = 0) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(digits) : '-');

function headline(result) {
  const main =
    result.tasks_per_s !== undefined
      ? `${fixed(result.tasks_per_s)} tasks/s${result.startup_ms !== undefined ? ` (start-up ${fixed(result.startup_ms)} ms, ${fixed(result.tasks_per_s_after_startup)} after)` : ''}`
      : `p50 ${fixed(result.p50_ms, 2)} ms, p99 ${fixed(result.p99_ms, 2)} ms`;
  const partial = result.partial ? `, PARTIAL: ${result.unfinished} unfinished at the deadline` : '';
  return `${main}; duplicates ${result.duplicates}, missing ${result.missing}${partial}`;
}

/** Under the table: the exactly-once counts, partial drains, warnings and errors, and each column's settings. */
function notes(workloads, columns, summaries) {
  const lines = [
    'exactly-once (duplicates/missing summed over the runs; * = a drain that hit --drain-timeout, its rate over the jobs done):',
  ];
  for (const column of columns) {
    const parts = workloads.map((workload) => {
      const s = summaries.get(`${workload.name} ${column.id}`);
      if (!s.runs.length) return `${workload.name} FAILED`;
      return `${workload.name} ${s.duplicates ?? '-'}/${s.missing ?? '-'}${s.partial ? ` (partial, ${s.unfinished} unfinished)` : ''}`;
    });
    lines.push(`  ${column.id}: ${parts.join(', ')}`);
  }
  for (const summary of summaries.values()) {
    for (const message of [...(summary.warnings ?? []), ...(summary.errors ?? [])])
      lines.push(`${summary.workload} ${summary.system} ${summary.variant ?? ''}: ${message}`);
  }
  lines.push('', 'settings:');
  for (const column of columns) lines.push(`  ${column.id} (${column.version}): ${column.variant.settings}`);
  return lines;
}

main().catch((error) => {
  process.stderr.write(`bench:compare failed: ${error?.stack ?? error}\n`);
  killChildren();
  process.exitCode = 1;
});
