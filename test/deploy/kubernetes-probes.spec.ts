import { connect, type AddressInfo } from 'node:net';
import type { INestApplicationContext } from '@nestjs/common';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApi } from '../../apps/api/test/api-test-app.js';
import { startWorkerApp } from '../../apps/workers/test/worker-test-app.js';
import { HealthServer } from '../../apps/workers/src/health/health-server.js';
import { PUBLIC_ROUTES } from '../../apps/api/src/security/bearer-token.js';
import { parseConfig } from '../../packages/core/src/index.js';
import { containersOf, KUBERNETES_DIR, kustomizationObjects, objectNamed, type Manifest } from '../support/deploy/deployment-files.js';
import { containerPort, podEnvironment } from '../support/deploy/pod-environment.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const objects = kustomizationObjects(KUBERNETES_DIR);
const UNREACHABLE_DATABASE = 'postgres://postgres@127.0.0.1:1/x';

/** The Deployment's container, its probes and the environment the manifests give it. */
function podOf(name: string) {
  const [container] = containersOf(objectNamed(objects, 'Deployment', name));
  return { container: container!, environment: podEnvironment(objects, container!).values };
}

/**
 * Runs a probe the way the kubelet does, against `port` (where the test's app listens in place
 * of the container port): HTTP succeeds on 200–399, TCP when a connection opens.
 */
async function runProbe(probe: Manifest, port: number): Promise<boolean> {
  if (probe.httpGet) {
    const response = await fetch(`http://127.0.0.1:${port}${probe.httpGet.path}`, {
      signal: AbortSignal.timeout(probe.timeoutSeconds * 1_000),
    });
    return response.status >= 200 && response.status < 400;
  }
  if (probe.tcpSocket) {
    return new Promise((resolve) => {
      const socket = connect(port, '127.0.0.1');
      socket.once('error', () => resolve(false));
      socket.once('connect', () => {
        socket.end();
        resolve(true);
      });
    });
  }
  throw new Error(`unsupported probe ${JSON.stringify(probe)}`);
}

/** Probes must hit the port the app is configured to listen on, named in the container. */
function probedPort(container: Manifest, probe: Manifest): number | undefined {
  return containerPort(container, (probe.httpGet ?? probe.tcpSocket).port);
}

describe('Kubernetes probes against the real apps', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db?.drop();
  });

  describe('the API Deployment', () => {
    const { container, environment } = podOf('taskforge-api');
    // With a token set: the readiness probe carries none.
    const token = 'probe-spec-token-0123456789abcdef';

    async function listeningApi(databaseUrl: string): Promise<{ app: NestFastifyApplication; port: number }> {
      const app = await startApi(databaseUrl, { ...environment, DATABASE_URL: databaseUrl, API_TOKEN: token, LOG_LEVEL: 'silent' });
      await app.listen({ port: 0, host: '127.0.0.1' });
      return { app, port: (app.getHttpServer().address() as AddressInfo).port };
    }

    it('probes the port API_PORT configures', () => {
      const { API_PORT } = parseConfig(environment);
      expect(probedPort(container, container.readinessProbe)).toBe(API_PORT);
      expect(probedPort(container, container.livenessProbe)).toBe(API_PORT);
    });

    it('checks readiness on GET /monitor/health, a route that needs no token', () => {
      expect(container.readinessProbe.httpGet.path).toBe('/monitor/health');
      expect(PUBLIC_ROUTES).toContainEqual({ method: 'GET', url: container.readinessProbe.httpGet.path });
    });

    describe('with the database up', () => {
      let api: { app: NestFastifyApplication; port: number };
      beforeAll(async () => {
        api = await listeningApi(db.url);
      });
      afterAll(async () => {
        await api?.app.close();
      });

      it('is ready and alive', async () => {
        expect(await runProbe(container.readinessProbe, api.port)).toBe(true);
        expect(await runProbe(container.livenessProbe, api.port)).toBe(true);
      });
    });

    describe('with the database unreachable', () => {
      let api: { app: NestFastifyApplication; port: number };
      beforeAll(async () => {
        api = await listeningApi(UNREACHABLE_DATABASE);
      });
      afterAll(async () => {
        await api?.app.close();
      });

      it('is not ready, but still alive: a database outage restarts no pod', async () => {
        expect(await runProbe(container.readinessProbe, api.port)).toBe(false);
        expect(await runProbe(container.livenessProbe, api.port)).toBe(true);
      });
    });
  });

  describe('the worker Deployment', () => {
    const { container, environment } = podOf('taskforge-worker');

    async function listeningWorker(databaseUrl: string): Promise<{ app: INestApplicationContext; port: number }> {
      const app = await startWorkerApp(databaseUrl, { env: { ...environment, DATABASE_URL: databaseUrl, LOG_LEVEL: 'silent' } });
      return { app, port: await app.get(HealthServer).listen(0, '127.0.0.1') };
    }

    it('probes the port WORKER_PORT configures, on the paths the health server serves', () => {
      const { WORKER_PORT } = parseConfig(environment);
      expect(probedPort(container, container.readinessProbe)).toBe(WORKER_PORT);
      expect(probedPort(container, container.livenessProbe)).toBe(WORKER_PORT);
      expect(container.readinessProbe.httpGet.path).toBe('/health');
      expect(container.livenessProbe.httpGet.path).toBe('/metrics');
    });

    describe('with the database up', () => {
      let worker: { app: INestApplicationContext; port: number };
      beforeAll(async () => {
        worker = await listeningWorker(db.url);
      });
      afterAll(async () => {
        await worker?.app.close();
      });

      it('is ready and alive', async () => {
        expect(await runProbe(container.readinessProbe, worker.port)).toBe(true);
        expect(await runProbe(container.livenessProbe, worker.port)).toBe(true);
      });
    });

    describe('with the database unreachable', () => {
      let worker: { app: INestApplicationContext; port: number };
      beforeAll(async () => {
        worker = await listeningWorker(UNREACHABLE_DATABASE);
      });
      afterAll(async () => {
        await worker?.app.close();
      });

      it('is not ready, but still alive: a database outage restarts no worker', async () => {
        expect(await runProbe(container.readinessProbe, worker.port)).toBe(false);
        expect(await runProbe(container.livenessProbe, worker.port)).toBe(true);
      });
    });
  });
});
