import { availableParallelism } from 'node:os';
import { openBenchDatabase, type BenchDatabase } from './bench/database.js';
import { benchCommand, readBenchOptions } from './bench/options.js';
import { killAllChildren } from './bench/processes.js';
import { formatJsonLine, formatTable } from './bench/report.js';
import { addRatioToA, failed, runWorkload, type WorkloadSummary } from './bench/runner.js';
import { WORKLOADS } from './bench/workloads/index.js';
import { parseCommandLine } from './command-line.js';

/**
 * `npm run bench`: throughput, latency and memory of the product's public paths (worker and
 * API processes, core's addTask), in a scratch database created and dropped here, on
 * DATABASE_URL or the embedded PostgreSQL. Every drain is checked exactly-once.
 * Workloads live in ./bench/workloads; `npm run bench -- --help` lists the options.
 * Exits 1 when a workload failed or a check found a duplicate or a missing task.
 */
async function main(): Promise<number> {
  const parsed = parseCommandLine(benchCommand(), process.argv.slice(2), readBenchOptions);
  if ('exitCode' in parsed) return parsed.exitCode;
  const { options } = parsed;
  const progress = options.json
    ? () => undefined
    : (message: string) => console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);

  const database: BenchDatabase = await openBenchDatabase({ quiet: options.json });
  // Ctrl-C or a SIGTERM: no child, scratch database or embedded server may outlive us.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    interrupted = true;
    progress(`${signal}: stopping`);
    killAllChildren();
    void database.close().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  progress(`${database.description}; ${availableParallelism()} CPUs; workloads ${options.only.join(', ')}`);

  const context = { url: database.url, admin: database.admin, options };
  const summaries: WorkloadSummary[] = [];
  try {
    for (const name of options.only) {
      if (interrupted) break;
      const summary = await runWorkload(WORKLOADS[name], context, progress);
      if (interrupted) break;
      if (name === 'E')
        addRatioToA(
          summary,
          summaries.find((done) => done.workload === 'A'),
        );
      summaries.push(summary);
      if (options.json) console.log(formatJsonLine(summary));
    }
  } finally {
    killAllChildren();
    await database.close();
  }
  if (!options.json) console.log(formatTable(summaries, WORKLOADS, options, `${database.description}, ${availableParallelism()} CPUs`));
  return summaries.some(failed) ? 1 : 0;
}

// The last resort: whatever happens, leave no worker or API process behind.
process.on('exit', killAllChildren);

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    killAllChildren();
    console.error(error);
    process.exit(1);
  },
);
