// What the API server said about one object in `kubectl apply --server-side --dry-run=server`, as a finding, a
// reason it could not be checked yet, or nothing. Pure: kubectl's words in, berth's verdict out (validate/cluster.ts runs it).
import { objectName, type KubeObject } from './context';
import type { Finding } from './finding';

export const CLUSTER_RULE = 'cluster';

/** What the environment itself provides, so a missing namespace or CRD it will create is "not yet", not wrong. */
export interface EnvironmentProvides {
  /** Namespace name -> the Application that renders it. */
  namespaces: Map<string, string>;
  /** "group/Kind" -> the Application whose CRD serves it. */
  kinds: Map<string, string>;
}

export interface ObjectAddress {
  environment: string;
  application: string;
  object: KubeObject;
}

export type Verdict =
  | { kind: 'finding'; finding: Finding }
  | { kind: 'not-checked'; reason: string }
  | { kind: 'warning'; message: string };

/** The fields a live StatefulSet keeps for ever (the API server refuses to change any other than these). */
export const STATEFULSET_MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'revisionHistoryLimit',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

/** kubectl's stderr, split into its warnings ("Warning: ...") and the rest, its error. */
export function splitStderr(stderr: string): { warnings: string[]; error: string } {
  const warnings: string[] = [];
  const error: string[] = [];
  for (const line of stderr.split('\n')) {
    const warning = /^Warning: (.*)$/.exec(line.trim());
    if (warning) warnings.push(warning[1]);
    else if (line.trim()) error.push(line.trim());
  }
  return { warnings, error: error.join('\n') };
}

/** "Error from server (Invalid): X" -> "X"; "error: X" -> "X". */
const withoutPrefix = (error: string) => error.replace(/^(Error from server \([^)]*\): |error: )/, '');

const podSecurityFix =
  'meet the profile in the pod template (securityContext: runAsNonRoot: true, allowPrivilegeEscalation: false, ' +
  'capabilities.drop: [ALL], seccompProfile.type: RuntimeDefault; no privileged containers, hostPath volumes or host ' +
  'namespaces), or move the workload to a namespace whose pod-security.kubernetes.io/enforce label allows it.';

function finding(address: ObjectAddress, message: string, fix: string, field?: string): Verdict {
  return {
    kind: 'finding',
    finding: {
      rule: CLUSTER_RULE,
      environment: address.environment,
      application: address.application,
      object: objectName(address.object),
      ...(field ? { field } : {}),
      message,
      fix,
    },
  };
}

/** JSON with object keys sorted: the API server returns fields in its own order, helm in the chart's. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical((value as Record<string, unknown>)[key])}`)
      .join(',')}}`;
  return JSON.stringify(value);
}

/**
 * The differences in a StatefulSet's fixed fields between the live object and the rendered one, as field paths with
 * both values ("spec.volumeClaimTemplates[data].spec.resources.requests.storage: 20Gi live, 30Gi rendered").
 */
export function statefulSetChanges(live: KubeObject, rendered: KubeObject): string[] {
  const changes: string[] = [];
  const show = (value: unknown) => (value === undefined ? '(unset)' : canonical(value));
  const compare = (path: string, was: unknown, now: unknown) => {
    if (canonical(was) !== canonical(now)) changes.push(`${path}: ${show(was)} live, ${show(now)} rendered`);
  };
  const [liveSpec, spec] = [live.spec ?? {}, rendered.spec ?? {}];
  compare('spec.serviceName', liveSpec.serviceName, spec.serviceName);
  compare('spec.selector', liveSpec.selector, spec.selector);
  if (spec.podManagementPolicy !== undefined)
    compare('spec.podManagementPolicy', liveSpec.podManagementPolicy, spec.podManagementPolicy);
  const claims = (set: KubeObject) =>
    new Map<string, KubeObject>(
      (set.volumeClaimTemplates ?? []).map((claim: KubeObject) => [claim.metadata?.name, claim]),
    );
  const [liveClaims, claimsNow] = [claims(liveSpec), claims(spec)];
  for (const name of new Set([...liveClaims.keys(), ...claimsNow.keys()])) {
    const [was, now] = [liveClaims.get(name), claimsNow.get(name)];
    const path = `spec.volumeClaimTemplates[${name}]`;
    if (!was || !now) {
      changes.push(`${path}: ${was ? 'removed' : 'added'}`);
      continue;
    }
    compare(
      `${path}.spec.resources.requests.storage`,
      was.spec?.resources?.requests?.storage,
      now.spec?.resources?.requests?.storage,
    );
    compare(`${path}.spec.storageClassName`, was.spec?.storageClassName, now.spec?.storageClassName);
    compare(`${path}.spec.accessModes`, was.spec?.accessModes, now.spec?.accessModes);
  }
  return changes;
}

/** The fix Argo CD users apply when a StatefulSet's fixed fields must change: recreate it, keeping its pods and volumes. */
export function statefulSetFix(object: KubeObject, changes: string[]): string {
  const name = object.metadata?.name ?? '<name>';
  const namespace = object.metadata?.namespace ? ` -n ${object.metadata.namespace}` : '';
  const resize = changes.some((change) => change.includes('.resources.requests.storage'))
    ? `to grow the volumes, first raise spec.resources.requests.storage on each PersistentVolumeClaim (kubectl edit pvc${namespace}; ` +
      'the StorageClass must allow volume expansion), then '
    : '';
  return (
    `Argo CD cannot sync this: revert the change, or ${resize}delete the StatefulSet but keep its pods and claims ` +
    `(kubectl delete statefulset ${name}${namespace} --cascade=orphan) and sync the Application, which recreates it ` +
    'with the new template and adopts the running pods.'
  );
}

/** The first field path an API error names: "spec.selector: Invalid value: ..." -> "spec.selector". */
function fieldOf(message: string): string | undefined {
  const invalid = /is invalid: (?:\[)?([A-Za-z][\w.[\]-]*): /.exec(message);
  if (invalid) return invalid[1];
  const typed = /failed to create typed patch object \([^)]*\): \.?([A-Za-z][\w.[\]-]*): /.exec(message);
  return typed?.[1];
}

/**
 * The verdict on an object whose dry-run failed. `liveChanges` are statefulSetChanges against the live object, when
 * the error was the StatefulSet's fixed fields (the caller fetched it).
 */
export function failureVerdict(
  address: ObjectAddress,
  error: string,
  provides: EnvironmentProvides,
  liveChanges?: string[],
): Verdict {
  const message = withoutPrefix(error);
  const { object } = address;

  const namespace = /namespaces "([^"]+)" not found/.exec(message);
  if (namespace) {
    const creator = provides.namespaces.get(namespace[1]);
    if (creator)
      return { kind: 'not-checked', reason: `namespace ${namespace[1]} does not exist yet (${creator} creates it)` };
    return finding(
      address,
      `namespace ${namespace[1]} does not exist on the cluster, and no Application of ${address.environment} creates it.`,
      `create it in cluster-base (or the syncOption CreateNamespace=true on the Application), or render into a namespace that exists.`,
      'metadata.namespace',
    );
  }

  const kind = /no matches for kind "([^"]+)" in version "([^"]+)"/.exec(message);
  if (kind) {
    const group = kind[2].includes('/') ? kind[2].split('/')[0] : '';
    const installer = provides.kinds.get(`${group}/${kind[1]}`);
    if (installer)
      return { kind: 'not-checked', reason: `${kind[2]} ${kind[1]} is not served yet (${installer} installs its CRD)` };
    return finding(
      address,
      `the cluster serves no ${kind[2]} ${kind[1]}, and no Application of ${address.environment} installs its CRD.`,
      'install the add-on that provides it (apps/<addon>), or list the kind in env.yaml cluster.preInstalled once it is installed.',
      'apiVersion',
    );
  }

  if (object.kind === 'StatefulSet' && /updates to statefulset spec for fields other than/.test(message)) {
    const changes = liveChanges ?? [];
    const what = changes.length ? `: ${changes.join('; ')}` : '';
    return finding(
      address,
      `the API server refuses to change a live StatefulSet's fixed fields (only ${STATEFULSET_MUTABLE.join(', ')} may change)${what}.`,
      statefulSetFix(object, changes),
      changes[0]?.split(':')[0] ?? 'spec',
    );
  }

  if (/field is immutable/.test(message)) {
    const field = fieldOf(message);
    const name = object.metadata?.name ?? '<name>';
    return finding(
      address,
      `the API server refuses to change ${field ?? 'a field'} of the live ${object.kind}: ${message}`,
      `revert the change, or let Argo CD recreate the object: delete it (kubectl delete ${String(object.kind).toLowerCase()} ${name}` +
        `${object.metadata?.namespace ? ` -n ${object.metadata.namespace}` : ''}) and sync, or annotate it with ` +
        'argocd.argoproj.io/sync-options: Replace=true.',
      field,
    );
  }

  const podSecurity = /violates PodSecurity "([^"]+)": (.*)/s.exec(message);
  if (podSecurity) {
    return finding(
      address,
      `Pod Security admission refuses it (${podSecurity[1]}): ${podSecurity[2]}`,
      podSecurityFix,
      'spec.securityContext',
    );
  }

  const webhook = /admission webhook "([^"]+)" denied the request: (.*)/s.exec(message);
  if (webhook) {
    return finding(
      address,
      `the admission webhook ${webhook[1]} refuses it: ${webhook[2]}`,
      'change the object as the webhook says; its policy lives with the add-on that installed it.',
    );
  }

  const forbidden = /User "([^"]+)" cannot (\S+) resource "([^"]+)"/.exec(message);
  if (forbidden) {
    return {
      kind: 'not-checked',
      reason: `the kubeconfig's user ${forbidden[1]} may not ${forbidden[2]} ${forbidden[3]}`,
    };
  }

  return finding(
    address,
    `the API server refuses it: ${message}`,
    'correct the field it names in the chart or the values; the same error stops the Argo CD sync.',
    fieldOf(message),
  );
}

/** A warning the API server gave while admitting an object: a PodSecurity warning means its pods will be refused. */
export function warningVerdict(address: ObjectAddress, warning: string): Verdict {
  const podSecurity = /would violate PodSecurity "([^"]+)": (.*)/.exec(warning);
  if (podSecurity) {
    return finding(
      address,
      `the API server admits the ${address.object.kind} but Pod Security admission will refuse its pods (${podSecurity[1]}): ${podSecurity[2]}`,
      podSecurityFix,
      'spec.template.spec',
    );
  }
  return { kind: 'warning', message: warning };
}
