import { Counter, Histogram, type Registry } from 'prom-client';

/** Request durations in seconds: API calls are short; anything past 5 s is a problem anyway. */
const HTTP_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export interface HttpMetrics {
  /** One answered request; `route` is the route pattern (`/tasks/:id`), never the raw URL. */
  answered(method: string, route: string, statusCode: number, seconds: number): void;
}

/** HTTP requests by method, route pattern and status code: a counter and a duration histogram. */
export function createHttpMetrics(registry: Registry): HttpMetrics {
  const labelNames = ['method', 'route', 'status_code'] as const;
  const requests = new Counter({
    name: 'taskforge_http_requests_total',
    help: 'HTTP requests answered, by method, route pattern and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'taskforge_http_request_duration_seconds',
    help: 'Time to answer HTTP requests, by method, route pattern and status code.',
    labelNames,
    buckets: HTTP_DURATION_BUCKETS,
    registers: [registry],
  });
  return {
    answered(method, route, statusCode, seconds) {
      const labels = { method, route, status_code: statusCode };
      requests.inc(labels);
      duration.observe(labels, seconds);
    },
  };
}
