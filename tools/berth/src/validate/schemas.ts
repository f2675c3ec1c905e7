// Offline schema validation: Kubernetes OpenAPI schemas and the CRD schemas npm packages provide.
import { isBuiltInGroup, type ServedApis } from '../workspace/api-kinds';
import type { Environment } from '../workspace/model';
import { objectName, type KubeObject } from './context';
import type { Finding } from './finding';

interface Model {
  validate(): void;
}
type ModelClass = new (data: KubeObject) => Model;

const PRERELEASE = /^v\d+(alpha|beta)\d+$/;

/** An environment's cluster and what it serves (workspace/api-kinds: built-ins, its add-ons, pre-installed kinds). */
export interface ServingCluster {
  environment: Environment;
  served: ServedApis;
}

/**
 * Whether the environment's cluster serves a built-in API version. kubernetes-models still carries removed versions
 * (policy/v1beta1, batch/v1beta1, ...), so the schema alone would pass them. Since Kubernetes 1.24 new betas are off
 * by default, and 1.32 removed the last older one (flowcontrol v1beta3), so a built-in alpha or beta is served only
 * when env.yaml lists it. CRD and aggregated groups are the api-provenance rule's: it names the add-on that serves
 * them (rules/api-provenance.ts); Argo CD's own objects live on the Argo CD cluster.
 */
function served(apiVersion: string, group: string, cluster: ServingCluster): boolean {
  if (!isBuiltInGroup(group) || cluster.served.apiVersions.includes(apiVersion)) return true;
  return !PRERELEASE.test(apiVersion.split('/').at(-1)!);
}

/** Where the schema of a group lives; CRD versions without a package of their own map to their structural twin. */
function modulePath(group: string, version: string, kind: string): string | undefined {
  if (isBuiltInGroup(group)) return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
  if (group === 'argoproj.io') return `@kubernetes-models/argo-cd/argoproj.io/${version}/${kind}`;
  // external-secrets.io/v1 is v1beta1 promoted without structural change
  if (group === 'external-secrets.io')
    return `@kubernetes-models/external-secrets/external-secrets.io/${version === 'v1' ? 'v1beta1' : version}/${kind}`;
  if (group === 'monitoring.coreos.com')
    return `@kubernetes-models/prometheus-operator/monitoring.coreos.com/${version}/${kind}`;
  return undefined;
}

const models = new Map<string, ModelClass | undefined>();

function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!models.has(key)) {
    const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
    const path = modulePath(group, version, kind);
    let model: ModelClass | undefined;
    try {
      model = path ? (require(path) as Record<string, ModelClass>)[kind] : undefined;
    } catch {
      model = undefined;
    }
    models.set(key, model);
  }
  return models.get(key);
}

/** "data/spec/template/spec/containers/0/image must be string" -> field and problem. */
function describeSchemaError(message: string): { field: string; problem: string }[] {
  return message.split(/,\s*(?=data)/).map((part) => {
    const match = /^data(\S*)\s+(.*)$/.exec(part.trim());
    if (!match) return { field: '', problem: part.trim() };
    const field = match[1]
      .replace(/^\//, '')
      .split('/')
      .map((segment) => (/^\d+$/.test(segment) ? `[${segment}]` : segment))
      .join('.')
      .replace(/\.\[/g, '[');
    return { field, problem: match[2] };
  });
}

/** external-secrets.io/v1 objects are checked against the v1beta1 schema, whose apiVersion enum names v1beta1. */
function structuralTwin(object: KubeObject, group: string): KubeObject {
  return group === 'external-secrets.io' && object.apiVersion === 'external-secrets.io/v1'
    ? { ...object, apiVersion: 'external-secrets.io/v1beta1' }
    : object;
}

export function validateSchema(
  object: KubeObject,
  at: { environment?: string; application?: string },
  cluster?: ServingCluster,
): Finding[] {
  const apiVersion = String(object.apiVersion ?? '');
  const kind = String(object.kind ?? '');
  const base = { rule: 'schema', ...at, object: objectName(object) };
  if (!apiVersion || !kind)
    return [
      {
        ...base,
        field: 'apiVersion',
        message: 'has no apiVersion or kind.',
        fix: 'every rendered document must be a Kubernetes object.',
      },
    ];
  const group = apiVersion.includes('/') ? apiVersion.split('/')[0] : '';
  if (cluster && !served(apiVersion, group, cluster)) {
    const { environment } = cluster;
    return [
      {
        ...base,
        field: 'apiVersion',
        message: `${apiVersion} is not served by the ${environment.name} cluster (env.yaml cluster.apiVersions).`,
        fix: `use the GA version of ${kind} (Kubernetes ${environment.cluster.kubeVersion} serves no other unless it is enabled and listed in environments/${environment.name}/env.yaml cluster.apiVersions).`,
      },
    ];
  }
  const Model = modelFor(apiVersion, kind);
  if (!Model)
    return [
      {
        ...base,
        field: 'apiVersion',
        message: `no schema for ${apiVersion} ${kind} is available offline, so it cannot be proven valid.`,
        fix: 'use a kind berth knows (Kubernetes, Argo CD, External Secrets, Prometheus Operator) or add its models package to tools/berth.',
      },
    ];
  try {
    new Model(structuralTwin(object, group)).validate();
    return [];
  } catch (error) {
    return describeSchemaError((error as Error).message).map(({ field, problem }) => ({
      ...base,
      field,
      message: `does not match the ${apiVersion} ${kind} schema: ${problem}.`,
      fix: 'correct the template or the value that produces this field.',
    }));
  }
}
