import { INFRASTRUCTURE_SCENARIOS } from './infrastructure.js';
import { MONITOR_SCENARIOS } from './monitor.js';
import type { ModuleScenarios } from './scenario.js';
import { SCHEDULES_SCENARIOS } from './schedules.js';
import { TASKS_SCENARIOS } from './tasks.js';

/**
 * Every module of packages/core/src that sends SQL, with the calls that make it send each of
 * its statements: a new `.query(` call that none of them reaches fails the queries spec.
 */
export const QUERY_CATALOGUE: ModuleScenarios[] = [
  ...INFRASTRUCTURE_SCENARIOS,
  ...MONITOR_SCENARIOS,
  ...SCHEDULES_SCENARIOS,
  ...TASKS_SCENARIOS,
].sort((a, b) => a.module.localeCompare(b.module));
