import { loadConfig } from '@taskforge/core';

/** How long one probe may take: both health endpoints answer within about 3 s by design. */
const PROBE_TIMEOUT_MS = 5_000;

interface Probe {
  role: string;
  url: string;
}

/** A wildcard bind address is not one to connect to; loopback reaches the server through it. */
function connectable(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function isConnectionRefused(error: unknown): boolean {
  const cause = error instanceof Error ? (error.cause as { code?: string } | undefined) : undefined;
  return cause?.code === 'ECONNREFUSED';
}

/**
 * The container image's HEALTHCHECK, for both roles of the one image. The API serves
 * GET /monitor/health on API_PORT, a worker GET /health on WORKER_PORT, and a container runs
 * one of them: so this asks both, and the first port with a listener decides (200: healthy,
 * exit 0; anything else: unhealthy, exit 1). Nothing listening at all is unhealthy too. No
 * role variable to keep in step with the container's command. Ports and hosts come from the
 * same configuration the app read, so a changed API_PORT or WORKER_PORT is followed.
 */
async function main(): Promise<number> {
  const config = loadConfig();
  const probes: Probe[] = [
    { role: 'api', url: `http://${connectable(config.API_HOST)}:${config.API_PORT}/monitor/health` },
    { role: 'worker', url: `http://${connectable(config.WORKER_HOST)}:${config.WORKER_PORT}/health` },
  ];
  for (const probe of probes) {
    try {
      const response = await fetch(probe.url, { signal: AbortSignal.timeout(PROBE_TIMEOUT_MS) });
      const body = await response.text();
      console.log(`${probe.role} ${probe.url}: ${response.status} ${body}`);
      return response.status === 200 ? 0 : 1;
    } catch (error) {
      if (isConnectionRefused(error)) continue;
      console.log(`${probe.role} ${probe.url}: ${error instanceof Error ? error.message : String(error)}`);
      return 1;
    }
  }
  console.log(`nothing listens on ${probes.map((probe) => probe.url).join(' or ')}`);
  return 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  },
);
