import { Agent, request } from 'node:http';
import { TaskforgeClient, type FetchFunction } from '@taskforge/client';
import { SCRIPTS, Service } from './processes.js';

/**
 * Keep-alive connections, so `n` loops in flight reuse `n` connections. node:http rather than
 * fetch: on two cores the load generator competes with the API for CPU, and fetch (undici's
 * WHATWG layer) costs several times more CPU per request.
 */
const agent = new Agent({ keepAlive: true });

/** The part of fetch @taskforge/client uses, on node:http and the keep-alive agent above. */
export const nodeHttpFetch: FetchFunction = (url, init) =>
  new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...init.headers };
    if (init.body !== undefined) headers['content-length'] = Buffer.byteLength(init.body);
    const outgoing = request(url, { method: init.method, agent, headers, timeout: 30_000, signal: init.signal }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        const status = response.statusCode ?? 0;
        resolve({ status, statusText: response.statusMessage ?? '', ok: status >= 200 && status < 300, text: async () => text });
      });
    });
    outgoing.on('timeout', () => outgoing.destroy(new Error(`${init.method} ${url}: no answer within 30 s`)));
    outgoing.on('error', reject);
    outgoing.end(init.body);
  });

/** The benchmarks' and the soak's way to the API: the typed client, over node:http. */
export function apiClient(baseUrl: string): TaskforgeClient {
  return new TaskforgeClient({ baseUrl, fetch: nodeHttpFetch });
}

/** Starts the API process (`node apps/api/dist/main.js`) on a free port and waits until it is healthy. */
export async function startApi(databaseUrl: string): Promise<Service & { port: number; baseUrl: string }> {
  const api = await Service.start('api', SCRIPTS.api, { DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' }, 'API_PORT');
  const baseUrl = `http://127.0.0.1:${api.port}`;
  try {
    await api.waitForHttp(`${baseUrl}/monitor/health`);
  } catch (error) {
    await api.stop();
    throw error;
  }
  return Object.assign(api, { baseUrl });
}
