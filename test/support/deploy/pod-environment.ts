import { objectNamed, type KubernetesObject, type Manifest } from './deployment-files.js';

/** What a `valueFrom.fieldRef` resolves to in a sample pod. */
const SAMPLE_FIELDS: Record<string, string> = {
  'metadata.name': 'taskforge-worker-7d9f8b6c5d-x2x4q',
  'metadata.namespace': 'taskforge',
};

export interface PodEnvironment {
  /** Every variable the container gets, as the kubelet would set it (env wins over envFrom). */
  values: Record<string, string>;
  /** Where each variable comes from: `ConfigMap <name>`, `Secret <name>`, `env` or `fieldRef`. */
  sources: Record<string, string>;
}

/** The environment of a container, resolving envFrom ConfigMaps and Secrets among `objects`. */
export function podEnvironment(objects: KubernetesObject[], container: Manifest): PodEnvironment {
  const values: Record<string, string> = {};
  const sources: Record<string, string> = {};
  for (const from of container.envFrom ?? []) {
    const [kind, ref] = from.configMapRef ? ['ConfigMap', from.configMapRef] : ['Secret', from.secretRef];
    const source = objectNamed(objects, kind, ref.name);
    const data: Record<string, string> =
      kind === 'ConfigMap'
        ? source.data
        : {
            ...source.stringData,
            ...Object.fromEntries(Object.entries(source.data ?? {}).map(([k, v]) => [k, Buffer.from(String(v), 'base64').toString()])),
          };
    for (const [name, value] of Object.entries(data ?? {})) {
      values[name] = String(value);
      sources[name] = `${kind} ${ref.name}`;
    }
  }
  for (const variable of container.env ?? []) {
    if (variable.valueFrom?.fieldRef) {
      const value = SAMPLE_FIELDS[variable.valueFrom.fieldRef.fieldPath];
      if (value === undefined) throw new Error(`no sample value for fieldRef ${variable.valueFrom.fieldRef.fieldPath}`);
      values[variable.name] = value;
      sources[variable.name] = 'fieldRef';
    } else {
      if (typeof variable.value !== 'string')
        throw new Error(`env ${variable.name}: value must be a string, got ${JSON.stringify(variable.value)}`);
      values[variable.name] = variable.value;
      sources[variable.name] = 'env';
    }
  }
  return { values, sources };
}

/** The container port (number) a probe or Service names, by name or number. */
export function containerPort(container: Manifest, port: string | number): number | undefined {
  if (typeof port === 'number') return (container.ports ?? []).some((p: Manifest) => p.containerPort === port) ? port : undefined;
  return (container.ports ?? []).find((p: Manifest) => p.name === port)?.containerPort;
}

/** Whether a label selector's matchLabels select a pod with these labels. */
export function selects(selector: Manifest | undefined, labels: Record<string, string>): boolean {
  const match = (selector?.matchLabels ?? {}) as Record<string, string>;
  return Object.keys(match).length > 0 && Object.entries(match).every(([key, value]) => labels[key] === value);
}
