import { collectDefaultMetrics, Registry } from 'prom-client';

export type { Registry } from 'prom-client';

/**
 * A registry of its own, never prom-client's global one: two apps in one process (the tests,
 * or an app embedding a worker) each keep their own metrics instead of clashing over names.
 * It starts with Node's process metrics (`process_*`, `nodejs_*`: CPU, memory, event-loop lag).
 */
export function createMetricsRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });
  return registry;
}
