import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { openBenchDatabase } from './bench/database.js';
import { killAllChildren } from './bench/processes.js';
import { parseCommandLine } from './command-line.js';
import { readSoakOptions, soakCommand } from './soak/options.js';
import { runSoak } from './soak/run-soak.js';
import type { SoakRow } from './soak/series.js';
import { readAutovacuumSettings, type AutovacuumSettings } from './soak/soak-sample.js';
import { formatHeader, formatRow, SERIES_LEGEND } from './soak/table.js';
import { CRITERIA, exitCodeOf, judgeSeries } from './soak/verdict.js';

/**
 * `npm run soak`: the longevity soak. The real API and workers run on a scratch database with
 * short retention while tasks go in at a steady rate through POST /tasks/batch; every
 * `--sample-seconds` one row shows the backlog, pickup latency, the tasks table's size, dead
 * tuples and autovacuum runs. At the end a verdict says whether the table stayed bounded and
 * latency flat (soak/verdict.ts has the criteria). Exits 0 when steady, 1 when not or
 * inconclusive, 2 on a usage error. `npm run soak -- --help` lists the options.
 */
async function main(): Promise<number> {
  const parsed = parseCommandLine(soakCommand(), process.argv.slice(2), readSoakOptions);
  if ('exitCode' in parsed) return parsed.exitCode;
  const { options } = parsed;
  const say = (message: string) => console.error(`[soak ${new Date().toISOString().slice(11, 19)}] ${message}`);
  const database = await openBenchDatabase({ quiet: false, scratchPrefix: 'taskforge_soak', tryLocalServer: true, executionsTable: false });
  // Ctrl-C or SIGTERM: the run stops at its next sample; a second signal kills at once.
  let interrupted = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (interrupted) {
      killAllChildren();
      void database.close().finally(() => process.exit(130));
      return;
    }
    interrupted = true;
    say(`${signal}: stopping after the next sample`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  const setting = `${database.description}; ${availableParallelism()} CPUs`;
  say(setting);
  let rows: SoakRow[];
  let autovacuum: AutovacuumSettings;
  try {
    autovacuum = await readAutovacuumSettings(database.admin);
    const autovacuumText = autovacuum.enabled
      ? `autovacuum on (naptime ${autovacuum.naptime}); tasks table: ${autovacuum.tableOptions.join(', ') || 'server defaults'}`
      : 'autovacuum OFF on this server';
    if (!autovacuum.enabled)
      say('autovacuum is off on this server: nothing will reclaim dead tuples in tasks, so expect them and the table to grow');
    console.log(
      `taskforge soak: ${options.rate} tasks/s (${options.failPercent}% fail with 2 retries, the rest noop) for ${options.minutes} min, ` +
        `${options.workers} worker(s), retention completed ${options.retentionCompleted} / failed ${options.retentionFailed} ` +
        `swept every ${options.retentionIntervalMs} ms; ${setting}; ${autovacuumText}`,
    );
    console.log(SERIES_LEGEND.join('\n'));
    console.log('');
    console.log(formatHeader());
    rows = await runSoak(database.url, database.admin, options, {
      say,
      onRow: (row) => console.log(formatRow(row)),
      interrupted: () => interrupted,
    });
  } finally {
    killAllChildren();
    await database.close();
  }
  const verdict = judgeSeries(rows, {
    durationSeconds: options.minutes * 60,
    warmupSeconds: options.warmupSeconds,
    targetRate: options.rate,
    autovacuumEnabled: autovacuum.enabled,
  });
  console.log('');
  console.log(verdict.line);
  if (options.json) {
    writeFileSync(
      options.json,
      `${JSON.stringify({ options, database: setting, autovacuum, legend: SERIES_LEGEND, criteria: CRITERIA, rows, verdict }, null, 2)}\n`,
    );
    say(`series written to ${options.json}`);
  }
  return interrupted ? 130 : exitCodeOf(verdict);
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
