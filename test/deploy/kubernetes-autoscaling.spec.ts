import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { startApi } from '../../apps/api/test/api-test-app.js';
import { parseConfig, poolSizeFor, type ProcessRole } from '../../packages/core/src/index.js';
import {
  AUTOSCALING_DIR,
  containersOf,
  KUBERNETES_DIR,
  kustomizationObjects,
  objectNamed,
  readYamlDocuments,
  REPO_ROOT,
  type Manifest,
} from '../support/deploy/deployment-files.js';
import { parseMetrics } from '../support/metrics-text.js';
import { podEnvironment } from '../support/deploy/pod-environment.js';
import { createTestDatabase, type TestDatabase } from '../support/test-database.js';

const base = kustomizationObjects(KUBERNETES_DIR);
const overlay = kustomizationObjects(AUTOSCALING_DIR);
const [overlayKustomization] = readYamlDocuments(join(AUTOSCALING_DIR, 'kustomization.yaml'));
const [baseKustomization] = readYamlDocuments(join(KUBERNETES_DIR, 'kustomization.yaml'));
const scaledObject = objectNamed(overlay, 'ScaledObject', 'taskforge-worker');
const [trigger] = scaledObject.spec.triggers as Manifest[];
const [scrapeConfig] = readYamlDocuments(join(REPO_ROOT, 'deploy/prometheus/scrape-configs.yml'));
const scrapeJob = (name: string): Manifest => scrapeConfig!.scrape_configs.find((job: Manifest) => job.job_name === name);

/** PostgreSQL's default max_connections (100) less superuser_reserved_connections (3). */
const DEFAULT_CONNECTIONS_FOR_APPS = 97;
/** Each worker's one LISTEN connection outside its pool, shared by its claim loop and schedule firer. */
const LISTEN_CONNECTIONS_PER_WORKER = 1;

/** The pool the deployment's pods open: their DATABASE_POOL_SIZE, else their role's default. */
function poolSize(deployment: string, role: ProcessRole): number {
  const [container] = containersOf(objectNamed(base, 'Deployment', deployment));
  return poolSizeFor(parseConfig(podEnvironment(base, container!).values), role);
}

describe('worker autoscaling on queue lag (deploy/kubernetes/autoscaling)', () => {
  it('adds a KEDA ScaledObject to the base manifests, targeting the worker Deployment', () => {
    expect(overlayKustomization!.resources).toEqual(['../base', 'worker-scaledobject.yaml']);
    expect(overlay.length).toBe(base.length + 1);
    expect(scaledObject.apiVersion).toBe('keda.sh/v1alpha1');
    expect(scaledObject.metadata.namespace).toBe(baseKustomization!.namespace);
    expect(objectNamed(overlay, 'Deployment', scaledObject.spec.scaleTargetRef.name).metadata.name).toBe('taskforge-worker');
  });

  it('removes the fixed replica count of the workers, which would reset the autoscaler on every apply', () => {
    const [patch] = overlayKustomization!.patches as Manifest[];
    expect(patch!.target).toEqual({ group: 'apps', version: 'v1', kind: 'Deployment', name: 'taskforge-worker' });
    expect(parse(patch!.patch)).toEqual([{ op: 'remove', path: '/spec/replicas' }]);
    // A JSON patch cannot remove what is absent: the base must set it.
    expect(objectNamed(base, 'Deployment', 'taskforge-worker').spec.replicas).toBe(3);
  });

  it('keeps at least the base count of workers, and never scales them to zero (they also fire schedules and sweep retention)', () => {
    expect(scaledObject.spec.minReplicaCount).toBe(objectNamed(base, 'Deployment', 'taskforge-worker').spec.replicas);
    expect(scaledObject.spec.maxReplicaCount).toBeGreaterThan(scaledObject.spec.minReplicaCount);
  });

  it('caps the workers within PostgreSQL default connection limit, rollout surges included', () => {
    const apiReplicas = objectNamed(base, 'Deployment', 'taskforge-api').spec.replicas;
    const surge = 1;
    const migration = 1;
    const total =
      (scaledObject.spec.maxReplicaCount + surge) * (poolSize('taskforge-worker', 'worker') + LISTEN_CONNECTIONS_PER_WORKER) +
      (apiReplicas + surge) * poolSize('taskforge-api', 'api') +
      migration;
    expect(total).toBeLessThanOrEqual(DEFAULT_CONNECTIONS_FOR_APPS);
  });

  it('scales proportionally on one figure for the whole queue, and holds the count when the figure is missing', () => {
    expect(trigger!.type).toBe('prometheus');
    expect(trigger!.metricType).toBe('Value');
    expect(Number(trigger!.metadata.threshold)).toBeGreaterThan(0);
    expect(trigger!.metadata.ignoreNullValues).toBe('false');
  });

  it('queries the labels the scrape job gives the API: its job name and namespace', () => {
    const query = trigger!.metadata.query as string;
    const api = scrapeJob('taskforge-api');
    expect(api).toBeDefined();
    const selectors = [...query.matchAll(/\{([^}]*)\}/g)].map((match) => match[1]);
    expect(selectors.length).toBe(2);
    for (const selector of selectors) {
      expect(selector).toBe(`job="${api.job_name}", namespace="${baseKustomization!.namespace}"`);
    }
    expect(api.kubernetes_sd_configs[0].namespaces.names).toEqual([baseKustomization!.namespace]);
    expect(api.relabel_configs).toContainEqual({ source_labels: ['__meta_kubernetes_namespace'], target_label: 'namespace' });
  });

  it('scrapes the API through its Service port, and the workers on their health port', () => {
    const service = objectNamed(base, 'Service', 'taskforge-api');
    const apiKeep = scrapeJob('taskforge-api').relabel_configs.find((rule: Manifest) => rule.action === 'keep');
    expect(new RegExp(`^${apiKeep.regex}$`).test(`${service.metadata.name};${service.spec.ports[0].name}`)).toBe(true);
    const worker = objectNamed(base, 'Deployment', 'taskforge-worker');
    const workerKeep = scrapeJob('taskforge-worker').relabel_configs.find((rule: Manifest) => rule.action === 'keep');
    const component = worker.spec.template.metadata.labels['app.kubernetes.io/component'];
    const portName = containersOf(worker)[0]!.ports[0].name;
    expect(new RegExp(`^${workerKeep.regex}$`).test(`${component};${portName}`)).toBe(true);
  });

  describe("against a real API's GET /metrics", () => {
    let db: TestDatabase;
    let app: NestFastifyApplication;
    beforeAll(async () => {
      db = await createTestDatabase();
      app = await startApi(db.url);
    });
    afterAll(async () => {
      await app?.close();
      await db?.drop();
    });

    it('queries only metrics the API exports: the queue lag, guarded by whether the figures could be read', async () => {
      const response = await app.inject({ method: 'GET', url: '/metrics' });
      expect(response.statusCode).toBe(200);
      const exported = new Set(parseMetrics(response.body).map((sample) => sample.name));
      const queried = [...(trigger!.metadata.query as string).matchAll(/\b(taskforge_[a-z_]+)\{/g)].map((match) => match[1]);
      expect(queried).toEqual(['taskforge_queue_lag_seconds', 'taskforge_queue_stats_up']);
      expect(queried.filter((name) => !exported.has(name!))).toEqual([]);
    });
  });
});
