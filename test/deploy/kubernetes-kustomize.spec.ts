import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import {
  AUTOSCALING_DIR,
  containersOf,
  KUBERNETES_DIR,
  kustomizationObjects,
  readYamlDocuments,
  type KubernetesObject,
  type Manifest,
} from '../support/deploy/deployment-files.js';

const kubectlFound = spawnSync('kubectl', ['version', '--client'], { encoding: 'utf8' }).status === 0;
if (!kubectlFound) console.warn('kubectl is not installed: the `kubectl kustomize` checks of deploy/kubernetes are skipped');

/** What `kubectl kustomize <dir>` renders: the objects `kubectl apply -k <dir>` would send. */
function kustomize(dir: string): Manifest[] {
  const run = spawnSync('kubectl', ['kustomize', dir], { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`kubectl kustomize ${dir} failed: ${run.stderr}`);
  return parseAllDocuments(run.stdout).map((document) => document.toJS() as Manifest);
}

const identity = (manifest: Manifest) => `${manifest.kind} ${manifest.metadata.namespace ?? '-'}/${manifest.metadata.name}`;
const identities = (objects: KubernetesObject[]) => objects.map(({ manifest }) => identity(manifest)).sort();

describe.skipIf(!kubectlFound)('kubectl kustomize (the real kustomize, offline)', () => {
  const [kustomization] = readYamlDocuments(join(KUBERNETES_DIR, 'kustomization.yaml'));
  const { newName, newTag } = kustomization!.images[0];

  it.each([
    ['base', KUBERNETES_DIR],
    ['autoscaling', AUTOSCALING_DIR],
  ])('renders %s into the objects the tests read, with the image renamed', (_name, dir) => {
    const rendered = kustomize(dir);
    expect(rendered.map(identity).sort()).toEqual(identities(kustomizationObjects(dir)));
    for (const manifest of rendered) {
      for (const container of containersOf(manifest)) expect(container.image).toBe(`${newName}:${newTag}`);
    }
  });

  it('leaves the worker count to the autoscaler in the overlay only', () => {
    const worker = (objects: Manifest[]) => objects.find((m) => m.kind === 'Deployment' && m.metadata.name === 'taskforge-worker')!;
    expect(worker(kustomize(KUBERNETES_DIR)).spec.replicas).toBe(3);
    expect(worker(kustomize(AUTOSCALING_DIR)).spec).not.toHaveProperty('replicas');
  });
});
