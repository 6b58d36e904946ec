import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeIfAvailable } from '../support/describe-if-available.js';
import { useClientApi } from '../support/client-api.js';
import { startFixtureWorker, type WorkerProcess } from '../support/workers.js';

/** Debian's prometheus package brings promtool, which `.ci/run` installs when missing; PROMTOOL_PATH points elsewhere. */
const PROMTOOL = process.env.PROMTOOL_PATH || '/usr/bin/promtool';
const promtoolMissing = existsSync(PROMTOOL)
  ? null
  : `promtool checks skipped: no promtool at ${PROMTOOL} (install it with \`apt-get install -y --no-install-recommends prometheus\`, or set PROMTOOL_PATH)`;

/** What `promtool check metrics` says about a scrape: it prints nothing and exits 0 when every metric follows Prometheus' conventions. */
function promtoolCheck(scrape: string): { code: number | null; said: string } {
  const run = spawnSync(PROMTOOL, ['check', 'metrics'], { input: scrape, encoding: 'utf8', timeout: 30_000 });
  if (run.error) throw run.error;
  return { code: run.status, said: `${run.stdout}${run.stderr}` };
}

/**
 * Both /metrics, the API's and a worker's on WORKER_PORT, pass Prometheus' own linter, after a
 * task went through so the counters and histograms have samples.
 */
describeIfAvailable(promtoolMissing, 'promtool check metrics', () => {
  const api = useClientApi();
  let worker: WorkerProcess;

  beforeAll(async () => {
    worker = await startFixtureWorker(api.db.url, 'promtool-worker');
    const client = api.client();
    const { id } = await client.submit({ task_name: 'noop' });
    expect((await client.waitFor(id, { timeoutMs: 30_000 })).status).toBe('completed');
  }, 90_000);
  afterAll(() => {
    worker?.child.kill('SIGKILL');
  });

  it.each([
    ['the API', () => `${api.baseUrl}/metrics`],
    ["a worker's WORKER_PORT", () => worker.healthUrl.replace(/\/health$/, '/metrics')],
  ])('finds nothing to say about the /metrics of %s', async (_which, url) => {
    const response = await fetch(url());
    expect(response.status).toBe(200);
    const scrape = await response.text();
    expect(scrape).toContain('# TYPE process_cpu_seconds_total counter');
    const { code, said } = promtoolCheck(scrape);
    expect(said).toBe('');
    expect(code).toBe(0);
  });
});
