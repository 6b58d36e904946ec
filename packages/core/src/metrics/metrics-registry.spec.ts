import { describe, expect, it } from 'vitest';
import { createMetricsRegistry } from './metrics-registry.js';

describe('createMetricsRegistry', () => {
  it("has Node's process metrics, and the per-type gauges whose totals it leaves out", async () => {
    const names = (await createMetricsRegistry().getMetricsAsJSON()).map((metric) => metric.name);
    expect(names).toEqual(
      expect.arrayContaining([
        'process_cpu_seconds_total',
        'process_resident_memory_bytes',
        'nodejs_eventloop_lag_seconds',
        'nodejs_heap_size_used_bytes',
        'nodejs_version_info',
        'nodejs_active_handles',
        'nodejs_active_requests',
        'nodejs_active_resources',
      ]),
    );
  });

  it('names no gauge or histogram with the `_total` suffix Prometheus keeps for counters', async () => {
    const types = [...(await createMetricsRegistry().metrics()).matchAll(/^# TYPE (\S+) (\S+)$/gm)].map(([, name, type]) => ({
      name,
      type,
    }));
    expect(types.length).toBeGreaterThan(10);
    expect(types.filter(({ name, type }) => name!.endsWith('_total') && type !== 'counter')).toEqual([]);
  });

  it('starts empty without the process metrics', async () => {
    expect(await createMetricsRegistry({ processMetrics: false }).getMetricsAsJSON()).toEqual([]);
  });
});
