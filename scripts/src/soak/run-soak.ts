import { setTimeout as sleep } from 'node:timers/promises';
import type { Pool } from '@taskforge/core';
import { TICK_MS, type SoakOptions } from './options.js';
import { toRow, type SoakRow } from './series.js';
import { startSoakServices } from './services.js';
import { readSoakSample, type SoakSample } from './soak-sample.js';
import { SteadySubmitter } from './submitter.js';

export interface SoakRunHooks {
  /** Progress and warnings, for stderr. */
  say(message: string): void;
  /** Called with every row as soon as it is sampled. */
  onRow(row: SoakRow): void;
  /** True once the run should end early (a signal). */
  interrupted(): boolean;
}

/**
 * Starts the product (API and workers) on `url`, submits at the steady rate for the run's
 * length while sampling every `sampleSeconds`, then stops everything and returns the series.
 * Samples are taken on a fixed schedule from the start of submission (t = k × sampleSeconds), so
 * a slow sample delays the next one only when it overruns the interval. Any product process
 * exiting early ends the run with its last output.
 */
export async function runSoak(url: string, admin: Pool, options: SoakOptions, hooks: SoakRunHooks): Promise<SoakRow[]> {
  const services = await startSoakServices(url, options);
  hooks.say(`API on ${services.api.baseUrl}, ${options.workers} worker(s); submitting ${options.rate} tasks/s for ${options.minutes} min`);
  const submitter = new SteadySubmitter({
    baseUrl: services.api.baseUrl,
    rate: options.rate,
    tickMs: TICK_MS,
    failPercent: options.failPercent,
  });
  const rows: SoakRow[] = [];
  try {
    await Promise.race([
      (async () => {
        let previous: SoakSample = await readSoakSample(admin, { since: new Date(0) });
        const begin = performance.now();
        let lastAt = begin;
        submitter.start();
        const samples = Math.floor((options.minutes * 60) / options.sampleSeconds);
        for (let k = 1; k <= samples && !hooks.interrupted(); k++) {
          await sleep(begin + k * options.sampleSeconds * 1_000 - performance.now());
          const current = await readSoakSample(admin, { since: previous.at });
          const counts = submitter.take();
          const now = performance.now();
          const row = toRow({
            previous,
            current,
            counts,
            t: k * options.sampleSeconds,
            intervalSeconds: (now - lastAt) / 1_000,
            rssMb: services.largestRssMb(),
          });
          rows.push(row);
          hooks.onRow(row);
          previous = current;
          lastAt = now;
        }
      })(),
      services.died,
    ]);
  } finally {
    await submitter.stop();
    await services.stop();
  }
  return rows;
}
