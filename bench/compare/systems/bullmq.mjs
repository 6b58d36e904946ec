// BullMQ 6 on PostgreSQL in the comparison: its settings, how the harness prepares its database,
// and how a child process runs its worker or its producer. See README.md ("Systems").
//
// BullMQ 6.7's published package ships a PostgreSQL backend (dist/esm/postgres/: createPostgresBackend,
// PostgresConnection, migrations inlined in sql-scripts.js). `withBackend(createPostgresBackend)` binds
// Queue and Worker to it; `connection` is a node-postgres pool config, plus `migrate: true` to create
// the schema `bullmq` (PostgresPoolConfig in dist/esm/postgres/postgres-connection.d.ts).
import { createPostgresBackend, withBackend } from 'bullmq';
import { packageVersion } from './version.mjs';

const { Queue, Worker } = withBackend(createPostgresBackend);

export const system = {
  name: 'bullmq',
  version: () => packageVersion('bullmq'),
  variants: [
    { key: 'defaults', settings: 'PostgreSQL backend, Worker({ concurrency: 10 }), completed jobs kept', jobOptions: {} },
    {
      key: 'removeOnComplete',
      settings: 'the same, every job added with { removeOnComplete: true }',
      jobOptions: { removeOnComplete: true },
    },
  ],
};

/** Each variant has queues of its own, e.g. bench_removeOnComplete. */
const queueName = (queue, variant) => `${queue}_${variant.key}`;

/** The harness's side: migrate once; per run, empty the job tables, pre-enqueue, count. */
export async function openDatabase(url, client) {
  const queues = new Map();
  const queueFor = async (name, variant) => {
    if (!queues.has(name)) {
      const queue = new Queue(name, {
        connection: { connectionString: url, migrate: true, max: 4 },
        defaultJobOptions: variant.jobOptions,
      });
      queue.on('error', (error) => process.stderr.write(`[bullmq harness] ${error.message}\n`));
      await queue.waitUntilReady();
      queues.set(name, queue);
    }
    return queues.get(name);
  };
  for (const variant of system.variants) await queueFor(queueName('bench', variant), variant);
  return {
    async reset() {
      await client.query('truncate bullmq.job, bullmq.job_log, bullmq.job_dependency, bullmq.event, bullmq.dedup, bullmq.dedup_next');
    },
    async preEnqueue(count, variant) {
      const queue = await queueFor(queueName('bench', variant), variant);
      for (let start = 0; start < count; start += 1_000) {
        const jobs = [];
        for (let id = start; id < Math.min(count, start + 1_000); id++) jobs.push({ name: 'bench', data: { id } });
        await queue.addBulk(jobs);
      }
    },
    /** Jobs not yet completed: with removeOnComplete a completed job is deleted, else kept as 'completed'. */
    async unfinished(variant) {
      const { rows } = await client.query(
        `select count(*)::int as n from bullmq.job where queue = $1 and state not in ('completed', 'failed')`,
        [queueName('bench', variant)],
      );
      return rows[0].n;
    },
    async stored(variant) {
      const { rows } = await client.query('select count(*)::int as n from bullmq.job where queue = $1', [
        queueName('bench_enqueue', variant),
      ]);
      return rows[0].n;
    },
    async close() {
      for (const queue of queues.values()) await queue.close();
    },
  };
}

/** A child's worker: one Worker, concurrency 10, its own PostgreSQL pool and LISTEN connection. */
export async function startWorker({ url, variant, concurrency, onJob }) {
  const worker = new Worker(queueName('bench', variant), async (job) => onJob(job.data.id), {
    connection: { connectionString: url },
    concurrency,
  });
  worker.on('error', (error) => process.stderr.write(`[bullmq] ${error.message}\n`));
  await worker.waitUntilReady();
  return { stop: () => worker.close() };
}

/** A child's producer: single Queue.add calls on a Queue of its own. */
export async function startProducer({ url, variant }) {
  const queues = new Map();
  const queueFor = (name) => {
    if (!queues.has(name))
      queues.set(name, new Queue(name, { connection: { connectionString: url }, defaultJobOptions: variant.jobOptions }));
    return queues.get(name);
  };
  return {
    add: (queue, id) => queueFor(queueName(queue, variant)).add('bench', { id }),
    async close() {
      for (const queue of queues.values()) await queue.close();
    },
  };
}
