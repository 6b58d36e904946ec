import { collectDefaultMetrics, Registry } from 'prom-client';

export type { Registry } from 'prom-client';

/**
 * prom-client's default gauges whose names end in `_total`, a suffix Prometheus reserves for
 * counters (`promtool check metrics` flags them). Each is the sum over the `type` label of the
 * default gauge without the suffix (`nodejs_active_handles`, `nodejs_active_requests`,
 * `nodejs_active_resources`), so leaving them out loses nothing: `sum(nodejs_active_handles)`.
 */
const MISNAMED_DEFAULT_METRICS = ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total'];

/**
 * A registry of its own, never prom-client's global one: two apps in one process (the tests,
 * or an app embedding a worker) each keep their own metrics instead of clashing over names.
 * It starts with Node's process metrics (`process_*`, `nodejs_*`: CPU, memory, event-loop lag),
 * less MISNAMED_DEFAULT_METRICS.
 */
export function createMetricsRegistry(options: { processMetrics?: boolean } = {}): Registry {
  const registry = new Registry();
  if (options.processMetrics ?? true) {
    collectDefaultMetrics({ register: registry });
    for (const name of MISNAMED_DEFAULT_METRICS) registry.removeSingleMetric(name);
  }
  return registry;
}
