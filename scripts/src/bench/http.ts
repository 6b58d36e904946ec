import { Agent, request } from 'node:http';
import { SCRIPTS, Service } from './processes.js';

/**
 * Keep-alive connections, so `n` loops in flight reuse `n` connections. node:http rather than
 * fetch: on two cores the load generator competes with the API for CPU, and fetch (undici's
 * WHATWG layer) costs several times more CPU per request.
 */
const agent = new Agent({ keepAlive: true });

/** POSTs JSON; resolves with the status and the parsed body (the raw text if it is not JSON). */
export function postJson(url: string, body: string): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const outgoing = request(
      url,
      {
        method: 'POST',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 30_000,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
          resolve({ status: response.statusCode ?? 0, body: parsed });
        });
      },
    );
    outgoing.on('timeout', () => outgoing.destroy(new Error(`POST ${url}: no answer within 30 s`)));
    outgoing.on('error', reject);
    outgoing.end(body);
  });
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

/** A short, one-line description of an unexpected answer, for error messages. */
export function describeAnswer(status: number, body: unknown): string {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  return `${status} ${text.length > 200 ? `${text.slice(0, 200)}…` : text}`;
}
