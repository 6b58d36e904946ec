import type { Pool } from 'pg';

/** What a scenario runs against: a migrated database of its own, emptied before each scenario. */
export interface ScenarioContext {
  pool: Pool;
  url: string;
}

/**
 * One call of a function of core, made against a real database, whose statements the queries
 * folder shows. `setup` puts in place what the call needs (a running task to complete, a due
 * schedule to fire); only `run` is recorded.
 */
export interface QueryScenario<Prepared = unknown> {
  /** The call as the folder's heading shows it: the function and its arguments, and the case when it matters. */
  call: string;
  setup?: (context: ScenarioContext) => Promise<Prepared>;
  run: (context: ScenarioContext, prepared: Prepared) => Promise<unknown>;
  /** Why this scenario cannot run on this machine, or null when it can (the default). */
  unavailable?: () => Promise<string | null>;
}

/** The scenarios that exercise every statement of one module of packages/core/src. */
export interface ModuleScenarios {
  /** Relative to packages/core/src: `tasks/claim-tasks.ts`. */
  module: string;
  scenarios: QueryScenario[];
}

/** A scenario, its setup's result typed for its run. */
export function scenario<Prepared>(definition: QueryScenario<Prepared>): QueryScenario {
  const { setup, run } = definition;
  return { ...definition, setup, run: (context, prepared) => run(context, prepared as Prepared) };
}

/** Awaits a call expected to be refused with `type`, as the scenario says; anything else fails generation. */
export async function refusedWith(type: abstract new (...args: never[]) => Error, call: Promise<unknown>): Promise<void> {
  const outcome = await call.then(
    () => new Error(`expected a ${type.name}, but the call succeeded`),
    (error: unknown) => (error instanceof type ? null : new Error(`expected a ${type.name}`, { cause: error })),
  );
  if (outcome !== null) throw outcome;
}
