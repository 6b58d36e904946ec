import { getQueueStats } from '../../../packages/core/src/monitor/queue-stats.js';
import { deleteWorkerRow, listLiveWorkers, upsertWorkerRow, type WorkerPresence } from '../../../packages/core/src/monitor/task-workers.js';
import { getThroughputPerMinute } from '../../../packages/core/src/monitor/throughput-per-minute.js';
import { WORKER_ID } from './fixtures.js';
import { scenario, type ModuleScenarios } from './scenario.js';

const WORKER: WorkerPresence = { id: WORKER_ID, host: 'host-1', pid: 4242, concurrency: 10, taskNames: ['email', 'report'], running: 2 };

/** The statements of packages/core/src/monitor/. */
export const MONITOR_SCENARIOS: ModuleScenarios[] = [
  {
    module: 'monitor/queue-stats.ts',
    scenarios: [
      scenario({ call: 'getQueueStats(db): finished tasks counted exactly', run: ({ pool }) => getQueueStats(pool) }),
      scenario({
        call: 'getQueueStats(db, { exactCountLimit: -1 }): more live rows than the limit, finished tasks estimated from a sample',
        run: ({ pool }) => getQueueStats(pool, { exactCountLimit: -1 }),
      }),
    ],
  },
  {
    module: 'monitor/task-workers.ts',
    scenarios: [
      scenario({
        call: 'upsertWorkerRow(db, { worker, starting: true, pruneAfterMs: 60000 })',
        run: ({ pool }) => upsertWorkerRow(pool, { worker: WORKER, starting: true, pruneAfterMs: 60_000 }),
      }),
      scenario({
        call: 'deleteWorkerRow(db, id)',
        setup: ({ pool }) => upsertWorkerRow(pool, { worker: WORKER, starting: true, pruneAfterMs: 60_000 }),
        run: ({ pool }) => deleteWorkerRow(pool, WORKER_ID),
      }),
      scenario({
        call: 'listLiveWorkers(db, { seenWithinMs: 30000 })',
        run: ({ pool }) => listLiveWorkers(pool, { seenWithinMs: 30_000 }),
      }),
    ],
  },
  {
    module: 'monitor/throughput-per-minute.ts',
    scenarios: [
      scenario({ call: 'getThroughputPerMinute(db, { minutes: 60 })', run: ({ pool }) => getThroughputPerMinute(pool, { minutes: 60 }) }),
    ],
  },
];
