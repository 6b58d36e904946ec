import { readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../processes.js';
import { execForm, instructionsOf, parseDockerfile, type Dockerfile } from './dockerfile.js';

export { REPO_ROOT };

/** Any parsed YAML mapping; tests read into it with optional chaining. */
export type Manifest = Record<string, any>;

/**
 * Every document of a YAML file, merge keys (`<<`) resolved as Compose does. A syntax error
 * or an unknown alias fails here, naming the file.
 */
export function readYamlDocuments(path: string): Manifest[] {
  const documents = parseAllDocuments(readFileSync(path, 'utf8'), { merge: true });
  if (!Array.isArray(documents)) return [];
  for (const document of documents) {
    if (document.errors.length > 0) throw new Error(`${path}: ${document.errors.map((error) => error.message).join('; ')}`);
  }
  return documents.map((document) => document.toJS({ maxAliasCount: 100 }) as Manifest).filter((value) => value !== null);
}

export function readDockerfile(): Dockerfile {
  return parseDockerfile(readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8'));
}

export function readCompose(): Manifest {
  const [compose] = readYamlDocuments(join(REPO_ROOT, 'docker-compose.yml'));
  return compose!;
}

export const KUBERNETES_DIR = join(REPO_ROOT, 'deploy/kubernetes/base');
export const AUTOSCALING_DIR = join(REPO_ROOT, 'deploy/kubernetes/autoscaling');

export interface KubernetesObject {
  /** Repository-relative path of the file it came from. */
  file: string;
  manifest: Manifest;
}

/**
 * The objects a kustomization produces, in order: its `resources` (files, or folders with a
 * kustomization of their own), then its namespace set on each. Patches are left to the tests
 * that check them; this is what `kubectl kustomize` would read, without kubectl.
 */
export function kustomizationObjects(dir: string): KubernetesObject[] {
  const [kustomization] = readYamlDocuments(join(dir, 'kustomization.yaml'));
  const objects: KubernetesObject[] = [];
  for (const resource of (kustomization?.resources ?? []) as string[]) {
    const path = join(dir, resource);
    if (!resource.endsWith('.yaml') && !resource.endsWith('.yml')) {
      objects.push(...kustomizationObjects(path));
      continue;
    }
    for (const manifest of readYamlDocuments(path)) objects.push({ file: relative(REPO_ROOT, path), manifest });
  }
  const namespace = kustomization?.namespace as string | undefined;
  return objects.map(({ file, manifest }) => ({
    file,
    manifest: namespace && manifest.kind !== 'Namespace' ? { ...manifest, metadata: { ...manifest.metadata, namespace } } : manifest,
  }));
}

export function objectsOfKind(objects: KubernetesObject[], kind: string): Manifest[] {
  return objects.filter(({ manifest }) => manifest.kind === kind).map(({ manifest }) => manifest);
}

/** The one object of a kind and name; throws when there is not exactly one. */
export function objectNamed(objects: KubernetesObject[], kind: string, name: string): Manifest {
  const found = objectsOfKind(objects, kind).filter((manifest) => manifest.metadata?.name === name);
  if (found.length !== 1) throw new Error(`expected one ${kind} ${name}, found ${found.length}`);
  return found[0]!;
}

/** The pod template's containers of a Deployment or Job. */
export function containersOf(workload: Manifest): Manifest[] {
  return workload.spec?.template?.spec?.containers ?? [];
}

/** A command a deployment file runs in the image, and where it is written. */
export interface ImageCommand {
  where: string;
  argv: string[];
}

/**
 * Every command the deployment files run in our image: the Dockerfile's CMD and HEALTHCHECK,
 * Compose's `command`s and the Kubernetes containers' `command` + `args`.
 */
export function imageCommands(): ImageCommand[] {
  const commands: ImageCommand[] = [];
  const runtime = readDockerfile().stages.at(-1)!;
  for (const keyword of ['CMD', 'HEALTHCHECK']) {
    for (const instruction of instructionsOf(runtime, keyword)) {
      const argv = execForm(instruction.args);
      if (!argv) throw new Error(`Dockerfile line ${instruction.line}: use the exec (JSON) form`);
      commands.push({ where: `Dockerfile ${keyword}`, argv });
    }
  }
  for (const [name, service] of Object.entries(readCompose().services as Record<string, Manifest>)) {
    if (service.build && service.command) commands.push({ where: `compose service ${name}`, argv: service.command });
  }
  for (const dir of [KUBERNETES_DIR, AUTOSCALING_DIR]) {
    for (const { file, manifest } of kustomizationObjects(dir)) {
      for (const container of containersOf(manifest)) {
        commands.push({ where: `${file} ${container.name}`, argv: [...(container.command ?? []), ...(container.args ?? [])] });
      }
    }
  }
  return commands;
}

/** The script `node <script>` runs, relative to the image's working directory (the repository root). */
export function nodeScript(argv: string[]): string | undefined {
  return argv[0] === 'node' ? argv.find((arg, index) => index > 0 && !arg.startsWith('-')) : undefined;
}
