// What berth makes of the API server's answers to `kubectl apply --server-side --dry-run=server`. The stderr texts
// are kubectl 1.36's, captured from the local cluster (npm run cluster -- up); tools/cluster/test/e2e.spec.ts gets
// them live.
import { describe, expect, it } from 'vitest';
import {
  failureVerdict,
  splitStderr,
  statefulSetChanges,
  warningVerdict,
  type EnvironmentProvides,
  type Verdict,
} from '../../src/validate/dry-run-verdict';
import { isFixedStatefulSetField } from '../../src/validate/fixed-fields';

const provides: EnvironmentProvides = {
  namespaces: new Map([['dev', 'dev-cluster-base']]),
  kinds: new Map([['monitoring.coreos.com/ServiceMonitor', 'dev-kube-prometheus-stack']]),
};
const address = (kind: string, name: string) => ({
  environment: 'dev',
  application: `dev-${name}`,
  object: { apiVersion: 'v1', kind, metadata: { name, namespace: 'dev' } },
});
const findingOf = (verdict: Verdict) => {
  expect(verdict.kind).toBe('finding');
  return verdict.kind === 'finding' ? verdict.finding : undefined!;
};

const postgres = (storage: string, selector = { 'app.kubernetes.io/name': 'postgres' }) => ({
  apiVersion: 'apps/v1',
  kind: 'StatefulSet',
  metadata: { name: 'postgres', namespace: 'dev' },
  spec: {
    serviceName: 'postgres-headless',
    selector: { matchLabels: selector },
    replicas: 1,
    volumeClaimTemplates: [
      {
        metadata: { name: 'data' },
        spec: { accessModes: ['ReadWriteOnce'], storageClassName: 'gp3', resources: { requests: { storage } } },
      },
    ],
  },
});

describe('splitStderr', () => {
  it('keeps warnings apart from the error', () => {
    const { warnings, error } = splitStderr(
      'Warning: would violate PodSecurity "restricted:v1.36": privileged\nError from server (NotFound): namespaces "x" not found',
    );
    expect(warnings).toEqual(['would violate PodSecurity "restricted:v1.36": privileged']);
    expect(error).toBe('Error from server (NotFound): namespaces "x" not found');
  });
});

describe('failureVerdict', () => {
  it('a namespace the environment creates is not checked yet; one nothing creates is a finding', () => {
    const waiting = failureVerdict(
      address('ConfigMap', 'a'),
      'Error from server (NotFound): namespaces "dev" not found',
      provides,
    );
    expect(waiting).toEqual({
      kind: 'not-checked',
      reason: 'namespace dev does not exist yet (dev-cluster-base creates it)',
    });
    const missing = findingOf(
      failureVerdict(
        address('ConfigMap', 'a'),
        'Error from server (NotFound): namespaces "nowhere" not found',
        provides,
      ),
    );
    expect(missing).toMatchObject({ rule: 'cluster', object: 'ConfigMap/a', field: 'metadata.namespace' });
    expect(missing.message).toMatch(
      /namespace nowhere does not exist on the cluster, and no Application of dev creates it/,
    );
  });

  it('a kind whose CRD the environment installs is not checked yet; an unknown kind is a finding', () => {
    const text = (kind: string, version: string) =>
      `error: resource mapping not found for name: "x" namespace: "dev" from "STDIN": no matches for kind "${kind}" in version "${version}"\nensure CRDs are installed first`;
    expect(
      failureVerdict(address('ServiceMonitor', 'a'), text('ServiceMonitor', 'monitoring.coreos.com/v1'), provides),
    ).toEqual({
      kind: 'not-checked',
      reason: 'monitoring.coreos.com/v1 ServiceMonitor is not served yet (dev-kube-prometheus-stack installs its CRD)',
    });
    const unknown = findingOf(failureVerdict(address('Widget', 'a'), text('Widget', 'example.com/v1'), provides));
    expect(unknown.message).toMatch(/serves no example.com\/v1 Widget/);
    expect(unknown.field).toBe('apiVersion');
  });

  it('a StatefulSet whose claim templates changed names the fields and the orphan-delete fix', () => {
    const live = postgres('20Gi');
    const rendered = postgres('30Gi');
    const changes = statefulSetChanges(live, rendered);
    expect(changes).toEqual([
      'spec.volumeClaimTemplates[data].spec.resources.requests.storage: "20Gi" live, "30Gi" rendered',
    ]);
    const finding = findingOf(
      failureVerdict(
        { environment: 'dev', application: 'dev-postgres', object: rendered },
        `The StatefulSet "postgres" is invalid: spec: Forbidden: updates to statefulset spec for fields other than 'replicas', 'ordinals', 'template', 'updateStrategy', 'revisionHistoryLimit', 'persistentVolumeClaimRetentionPolicy' and 'minReadySeconds' are forbidden`,
        provides,
        changes,
      ),
    );
    expect(finding.field).toBe('spec.volumeClaimTemplates[data].spec.resources.requests.storage');
    expect(finding.message).toMatch(
      /refuses to change a live StatefulSet's fixed fields.*"20Gi" live, "30Gi" rendered/,
    );
    expect(finding.fix).toMatch(/kubectl delete statefulset postgres -n dev --cascade=orphan/);
    expect(finding.fix).toMatch(/raise spec.resources.requests.storage on each PersistentVolumeClaim/);
  });

  it('compares selectors regardless of key order (the API server and helm order keys differently)', () => {
    const live = postgres('20Gi', {
      'app.kubernetes.io/name': 'postgres',
      'app.kubernetes.io/instance': 'postgres',
    } as never);
    const rendered = postgres('20Gi', {
      'app.kubernetes.io/instance': 'postgres',
      'app.kubernetes.io/name': 'postgres',
    } as never);
    expect(statefulSetChanges(live, rendered)).toEqual([]);
  });

  it('an immutable field names the field and the Replace=true way out', () => {
    const finding = findingOf(
      failureVerdict(
        address('Deployment', 'service-a'),
        'The Deployment "service-a" is invalid: spec.selector: Invalid value: {"matchLabels":{"extra":"x"}}: field is immutable',
        provides,
      ),
    );
    expect(finding.field).toBe('spec.selector');
    expect(finding.fix).toMatch(/kubectl delete deployment service-a -n dev.*Replace=true/);
  });

  it('Pod Security admission refusing a pod is a finding with the controls to meet', () => {
    const finding = findingOf(
      failureVerdict(
        address('Pod', 'p'),
        'Error from server (Forbidden): pods "p" is forbidden: violates PodSecurity "restricted:v1.36": privileged (container "c" must not set securityContext.privileged=true)',
        provides,
      ),
    );
    expect(finding.message).toMatch(/^Pod Security admission refuses it \(restricted:v1.36\): privileged/);
    expect(finding.fix).toMatch(/runAsNonRoot/);
  });

  it('CRD schema errors name the field, from a typed patch or a validation rule', () => {
    const typed = findingOf(
      failureVerdict(
        address('ServiceMonitor', 'm'),
        'Error from server: failed to create typed patch object (dev/m; monitoring.coreos.com/v1, Kind=ServiceMonitor): .spec.endpoints: expected list, got &{every 30s}',
        provides,
      ),
    );
    expect(typed.field).toBe('spec.endpoints');
    const enumerated = findingOf(
      failureVerdict(
        address('ExternalSecret', 'm'),
        'The ExternalSecret "m" is invalid: spec.secretStoreRef.kind: Unsupported value: "Nope": supported values: "SecretStore", "ClusterSecretStore"',
        provides,
      ),
    );
    expect(enumerated.field).toBe('spec.secretStoreRef.kind');
    expect(enumerated.message).toMatch(/Unsupported value: "Nope"/);
  });

  it('a user who may not create the object leaves it unchecked, saying who', () => {
    expect(
      failureVerdict(
        address('ConfigMap', 'a'),
        'Error from server (Forbidden): configmaps "a" is forbidden: User "dev-reader" cannot patch resource "configmaps" in API group "" in the namespace "dev"',
        provides,
      ),
    ).toEqual({ kind: 'not-checked', reason: "the kubeconfig's user dev-reader may not patch configmaps" });
  });
});

describe('warningVerdict', () => {
  it('a PodSecurity warning on a workload is a finding: its pods will be refused', () => {
    const finding = findingOf(
      warningVerdict(
        address('Deployment', 'service-a'),
        'would violate PodSecurity "restricted:v1.36": privileged (container "c" must not set securityContext.privileged=true)',
      ),
    );
    expect(finding.message).toMatch(/admits the Deployment but Pod Security admission will refuse its pods/);
  });

  it('any other warning stays a warning', () => {
    expect(warningVerdict(address('Ingress', 'a'), 'annotation "x" is deprecated')).toEqual({
      kind: 'warning',
      message: 'annotation "x" is deprecated',
    });
  });
});

describe('isFixedStatefulSetField', () => {
  it.each([
    ['spec.volumeClaimTemplates[data].spec.resources.requests.storage', true],
    ['spec.selector.matchLabels.app', true],
    ['spec.serviceName', true],
    ['spec.replicas', false],
    ['spec.template.spec.containers[app].image', false],
    ['spec.updateStrategy.type', false],
    ['metadata.labels["app.kubernetes.io/version"]', false],
  ])('%s: %s', (path, fixed) => expect(isFixedStatefulSetField(path)).toBe(fixed));
});
