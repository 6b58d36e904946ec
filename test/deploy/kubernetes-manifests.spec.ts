import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../packages/core/src/index.js';
import { configSchema } from '../../packages/core/src/config/config-schema.js';
import {
  containersOf,
  KUBERNETES_DIR,
  kustomizationObjects,
  objectNamed,
  objectsOfKind,
  readYamlDocuments,
  type Manifest,
} from '../support/deploy/deployment-files.js';
import { containerPort, podEnvironment, selects } from '../support/deploy/pod-environment.js';

const objects = kustomizationObjects(KUBERNETES_DIR);
const [kustomization] = readYamlDocuments(join(KUBERNETES_DIR, 'kustomization.yaml'));
const api = objectNamed(objects, 'Deployment', 'taskforge-api');
const worker = objectNamed(objects, 'Deployment', 'taskforge-worker');
const migrateJob = objectNamed(objects, 'Job', 'taskforge-migrate');
const workloads: Array<[string, Manifest]> = [
  ['the API', api],
  ['the worker', worker],
  ['the migration Job', migrateJob],
];
const podLabels = (workload: Manifest): Record<string, string> => workload.spec.template.metadata.labels;

describe('Kubernetes manifests (deploy/kubernetes/base)', () => {
  it('lists every manifest of the folder in kustomization.yaml, each document a named object', () => {
    const files = readdirSync(KUBERNETES_DIR).filter((file) => file.endsWith('.yaml') && file !== 'kustomization.yaml');
    expect([...kustomization!.resources].sort()).toEqual(files.sort());
    for (const { file, manifest } of objects) {
      expect(manifest.apiVersion, file).toEqual(expect.any(String));
      expect(manifest.kind, file).toEqual(expect.any(String));
      expect(manifest.metadata?.name, file).toEqual(expect.any(String));
    }
    expect(objects.map(({ manifest }) => manifest.kind).sort()).toEqual(
      [
        'ConfigMap',
        'Deployment',
        'Deployment',
        'Job',
        'Namespace',
        'PodDisruptionBudget',
        'PodDisruptionBudget',
        'Secret',
        'Service',
      ].sort(),
    );
  });

  it('creates its namespace and puts everything in it', () => {
    expect(objectsOfKind(objects, 'Namespace').map((namespace) => namespace.metadata.name)).toEqual([kustomization!.namespace]);
    for (const { manifest } of objects.filter(({ manifest }) => manifest.kind !== 'Namespace')) {
      expect(manifest.metadata.namespace).toBe(kustomization!.namespace);
    }
  });

  it('runs the one image, renamed in one place by the kustomization', () => {
    for (const [name, workload] of workloads) {
      expect(
        containersOf(workload).map((container) => container.image),
        name,
      ).toEqual(['taskforge']);
    }
    expect(kustomization!.images).toEqual([
      expect.objectContaining({ name: 'taskforge', newName: expect.any(String), newTag: expect.any(String) }),
    ]);
  });

  describe.each(workloads)('%s', (_name, workload) => {
    const [container] = containersOf(workload);

    it('gets only variables our configuration knows, with values it accepts', () => {
      const environment = podEnvironment(objects, container!);
      expect(Object.keys(environment.values).filter((variable) => !(variable in configSchema.shape))).toEqual([]);
      expect(() => parseConfig(environment.values)).not.toThrow();
    });

    it('gets DATABASE_URL from the Secret only', () => {
      const environment = podEnvironment(objects, container!);
      expect(environment.sources.DATABASE_URL).toBe('Secret taskforge-secrets');
      expect(objectNamed(objects, 'ConfigMap', 'taskforge-config').data).not.toHaveProperty('DATABASE_URL');
    });

    it('requests CPU and memory, and limits memory', () => {
      expect(container!.resources.requests).toEqual({ cpu: expect.any(String), memory: expect.any(String) });
      expect(container!.resources.limits.memory).toEqual(expect.any(String));
    });

    it('runs as a non-root numeric user (the image says USER node, which the kubelet cannot check) on a read-only root', () => {
      const pod = workload.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(container!.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
      });
      expect(pod.automountServiceAccountToken).toBe(false);
    });
  });

  it('selects its own pods in each Deployment', () => {
    for (const deployment of [api, worker]) {
      expect(selects(deployment.spec.selector, podLabels(deployment))).toBe(true);
    }
    expect(selects(api.spec.selector, podLabels(worker))).toBe(false);
    expect(selects(worker.spec.selector, podLabels(api))).toBe(false);
  });

  it('runs the API, serving the Service port on the container port API_PORT names', () => {
    const [container] = containersOf(api);
    expect(container!.command).toEqual(['node', 'apps/api/dist/main.js']);
    const service = objectNamed(objects, 'Service', 'taskforge-api');
    expect(selects({ matchLabels: service.spec.selector }, podLabels(api))).toBe(true);
    expect(selects({ matchLabels: service.spec.selector }, podLabels(worker))).toBe(false);
    const { API_PORT } = parseConfig(podEnvironment(objects, container!).values);
    expect(service.spec.ports.map((port: Manifest) => containerPort(container!, port.targetPort))).toEqual([API_PORT]);
  });

  it('runs the worker with the health port WORKER_PORT names', () => {
    const [container] = containersOf(worker);
    expect(container!.command).toEqual(['node', 'apps/workers/dist/main.js']);
    const { WORKER_PORT } = parseConfig(podEnvironment(objects, container!).values);
    expect(containerPort(container!, 'health')).toBe(WORKER_PORT);
  });

  it('gives each worker pod its own WORKER_ID: the pod name', () => {
    const [container] = containersOf(worker);
    const variable = container!.env.find((entry: Manifest) => entry.name === 'WORKER_ID');
    expect(variable.valueFrom.fieldRef.fieldPath).toBe('metadata.name');
  });

  it('lets a stopping worker finish its tasks: terminationGracePeriodSeconds above WORKER_SHUTDOWN_TIMEOUT_MS, both set here', () => {
    const [container] = containersOf(worker);
    const environment = podEnvironment(objects, container!);
    expect(environment.sources.WORKER_SHUTDOWN_TIMEOUT_MS).toBe('env');
    const { WORKER_SHUTDOWN_TIMEOUT_MS } = parseConfig(environment.values);
    expect(WORKER_SHUTDOWN_TIMEOUT_MS).toBe(30_000);
    expect(worker.spec.template.spec.terminationGracePeriodSeconds * 1_000).toBeGreaterThan(WORKER_SHUTDOWN_TIMEOUT_MS);
  });

  it('migrates with a Job that runs migrate up and retries a few times', () => {
    const [container] = containersOf(migrateJob);
    expect([...container!.command, ...(container!.args ?? [])]).toEqual(['node', 'scripts/dist/migrate.js', 'up']);
    expect(migrateJob.spec.template.spec.restartPolicy).toBe('Never');
    expect(migrateJob.spec.backoffLimit).toBeGreaterThan(0);
  });

  it('has a PodDisruptionBudget for the workers and one for the API, each selecting exactly its pods', () => {
    const budgets = objectsOfKind(objects, 'PodDisruptionBudget');
    const [forWorkers] = budgets.filter((budget) => selects(budget.spec.selector, podLabels(worker)));
    const [forApi] = budgets.filter((budget) => selects(budget.spec.selector, podLabels(api)));
    expect(forWorkers?.metadata.name).toBe('taskforge-worker');
    expect(forApi?.metadata.name).toBe('taskforge-api');
    expect(selects(forWorkers!.spec.selector, podLabels(api))).toBe(false);
    expect(forWorkers!.spec.maxUnavailable).toBe(1);
    expect(forApi!.spec.maxUnavailable).toBeLessThan(api.spec.replicas);
  });

  it('keeps every Deployment serving during a rollout (no pod removed before its successor is ready)', () => {
    for (const deployment of [api, worker]) {
      expect(deployment.spec.strategy.rollingUpdate).toEqual({ maxUnavailable: 0, maxSurge: 1 });
    }
  });
});
