// Offline schema validation: Kubernetes OpenAPI schemas and the CRD schemas npm packages provide.
import type { Environment } from '../workspace/model';
import { objectName, type KubeObject } from './context';
import type { Finding } from './finding';

interface Model {
  validate(): void;
}
type ModelClass = new (data: KubeObject) => Model;

const BUILT_IN_GROUP = /^(|apps|batch|autoscaling|policy|extensions|[a-z0-9.-]*\.k8s\.io)$/;
const PRERELEASE = /^v\d+(alpha|beta)\d+$/;

/**
 * Whether the environment's cluster serves an API version. kubernetes-models still carries removed versions
 * (policy/v1beta1, batch/v1beta1, ...), so the schema alone would pass them. Since Kubernetes 1.24 new betas are off
 * by default, and 1.32 removed the last older one (flowcontrol v1beta3), so a built-in alpha or beta is served only
 * when env.yaml lists it; a CRD version likewise; Argo CD's own objects live on the Argo CD cluster.
 */
function served(apiVersion: string, group: string, environment: Environment): boolean {
  if (group === 'argoproj.io' || environment.cluster.apiVersions.includes(apiVersion)) return true;
  return BUILT_IN_GROUP.test(group) && !PRERELEASE.test(apiVersion.split('/').at(-1)!);
}

/** Where the schema of a group lives; CRD versions without a package of their own map to their structural twin. */
function modulePath(group: string, version: string, kind: string): string | undefined {
  if (BUILT_IN_GROUP.test(group)) return `kubernetes-models/${group ? `${group}/` : ''}${version}/${kind}`;
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
  environment?: Environment,
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
  if (environment && !served(apiVersion, group, environment)) {
    const fix = BUILT_IN_GROUP.test(group)
      ? `use the GA version of ${kind} (Kubernetes ${environment.cluster.kubeVersion} serves no other unless it is enabled and listed in environments/${environment.name}/env.yaml cluster.apiVersions).`
      : `install the CRD on the cluster and add ${apiVersion} to environments/${environment.name}/env.yaml cluster.apiVersions, or turn the feature off.`;
    return [
      {
        ...base,
        field: 'apiVersion',
        message: `${apiVersion} is not served by the ${environment.name} cluster (env.yaml cluster.apiVersions).`,
        fix,
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
