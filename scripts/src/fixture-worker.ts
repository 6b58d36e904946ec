import { runWorkerProcess } from '@taskforge/workers';
import { FixturesModule } from './fixtures/fixtures.module.js';

/**
 * A worker process with the built-in task types plus the fixtures: `record`, which logs every
 * execution to task_executions (create it first: createExecutionsTable), and `poison`, which
 * misbehaves on request. Used by the crash-safety tests and `npm run chaos`.
 */
runWorkerProcess({ imports: [FixturesModule] });
