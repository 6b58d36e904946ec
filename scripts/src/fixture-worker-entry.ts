import { runWorkerProcess } from '@taskforge/workers';
import { FixturesModule } from './fixtures/fixtures.module.js';

/**
 * A worker process with the built-in task types plus the fixtures: `record`, which logs every
 * execution to task_executions (create it first: createExecutionsTable), and `poison`, which
 * misbehaves on request. Used by the crash-safety tests, `npm run bench` and `npm run chaos`.
 * Bundled like the worker itself into scripts/dist/fixture-worker.js (scripts/src/bundle/services.ts),
 * so the benchmarks time the start-up the real worker has.
 */
runWorkerProcess({ imports: [FixturesModule] });
