// pg-boss 12 in the comparison: its settings, how the harness prepares its database, and how a
// child process runs its worker or its producer. See README.md ("Systems").
import { PgBoss } from 'pg-boss';
import { packageVersion } from './version.mjs';

/**
 * pg-boss 12 has no teamSize: `localConcurrency` (WorkConcurrencyOptions in dist/types.d.ts) is the
 * number of fetch-and-run loops per work() call, our "concurrency 10". A loop fetches `batchSize`
 * jobs (default 1) and hands them to the handler as an array. Between fetches it waits
 * `pollingIntervalSeconds` (default 2), unless `burstWhenBatchFull` is set and the fetch came back
 * full, or a NOTIFY woke it: that needs `useListenNotify` on the instance and `notify: true` on the
 * queue (both off by default).
 */
export const system = {
  name: 'pg-boss',
  version: () => packageVersion('pg-boss'),
  variants: [
    {
      key: 'defaults',
      settings: 'work({ localConcurrency: 10 }): batchSize 1, pollingIntervalSeconds 2, no LISTEN/NOTIFY',
      boss: {},
      queue: {},
      work: { localConcurrency: 10 },
    },
    {
      key: 'tuned',
      settings: 'work({ localConcurrency: 10, batchSize: 100, burstWhenBatchFull: true }), useListenNotify + queue notify',
      boss: { useListenNotify: true },
      queue: { notify: true },
      work: { localConcurrency: 10, batchSize: 100, burstWhenBatchFull: true },
    },
  ],
};

/** Each variant has queues of its own (queue options differ), e.g. bench_tuned. */
const queueName = (queue, variant) => `${queue}_${variant.key}`;

/** The harness's side: install pg-boss and the queues once; per run, empty them, pre-enqueue, count. */
export async function openDatabase(url, client) {
  // pg-boss names its sessions pgboss:<instance> whatever the URL says (dist/index.js); the harness's
  // must be taskforge-bench, so that its PostgreSQL CPU meter leaves them out.
  const boss = new PgBoss({ connectionString: url, application_name: 'taskforge-bench', supervise: false, schedule: false, max: 4 });
  boss.on('error', (error) => process.stderr.write(`[pg-boss harness] ${error.message}\n`));
  await boss.start();
  for (const variant of system.variants) {
    for (const queue of ['bench', 'bench_enqueue']) await boss.createQueue(queueName(queue, variant), variant.queue);
  }
  const names = system.variants.flatMap((variant) => ['bench', 'bench_enqueue'].map((queue) => queueName(queue, variant)));
  return {
    async reset() {
      for (const name of names) await boss.deleteAllJobs(name);
    },
    async preEnqueue(count, variant) {
      for (let start = 0; start < count; start += 5_000) {
        const jobs = [];
        for (let id = start; id < Math.min(count, start + 5_000); id++) jobs.push({ data: { id }, retryLimit: 0 });
        await boss.insert(queueName('bench', variant), jobs);
      }
    },
    /** Jobs not yet completed (pg-boss keeps completed jobs, in state 'completed'). */
    async unfinished(variant) {
      const { rows } = await client.query(
        `select count(*)::int as n from pgboss.job where name = $1 and state in ('created', 'retry', 'active')`,
        [queueName('bench', variant)],
      );
      return rows[0].n;
    },
    async stored(variant) {
      const { rows } = await client.query('select count(*)::int as n from pgboss.job where name = $1', [
        queueName('bench_enqueue', variant),
      ]);
      return rows[0].n;
    },
    close: () => boss.stop({ graceful: false, close: true }),
  };
}

async function startBoss(url, variant) {
  const boss = new PgBoss({ connectionString: url, ...variant.boss });
  boss.on('error', (error) => process.stderr.write(`[pg-boss] ${error.message}\n`));
  await boss.start();
  return boss;
}

/** A child's worker: one pg-boss instance (its defaults: maintenance and scheduling on) and one work() call. */
export async function startWorker({ url, variant, onJob }) {
  const boss = await startBoss(url, variant);
  await boss.work(queueName('bench', variant), variant.work, async (jobs) => {
    for (const job of jobs) await onJob(job.data.id);
  });
  return { stop: () => boss.stop({ graceful: true, close: true, timeout: 10_000 }) };
}

/** A child's producer: single send() calls through an instance of its own (pool default max 10). */
export async function startProducer({ url, variant }) {
  const boss = await startBoss(url, variant);
  return {
    add: (queue, id) => boss.send(queueName(queue, variant), { id }, { retryLimit: 0 }),
    close: () => boss.stop({ graceful: true, close: true, timeout: 10_000 }),
  };
}
