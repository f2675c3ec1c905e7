// Tenancy rules as a table: namespaces, cluster destinations and Argo CD names that would leave an environment's room.
import { describe, expect, it } from 'vitest';
import { checkTenancy, clusterProblem, namespaceProblem } from '../../src/workspace/tenancy';
import type { BerthSettings, Environment, Service } from '../../src/workspace/model';

const settings: BerthSettings = {
  repoURL: 'https://github.com/acme/gitops.git',
  revision: 'main',
  argocdNamespace: 'argocd',
  libraryChart: 'common',
};

function env(name: string, overrides: Partial<Environment> = {}): Environment {
  return {
    name,
    promotesFrom: null,
    namespace: name,
    domain: `${name}.example.com`,
    region: 'eu-west-1',
    vpcCidr: '10.0.0.0/16',
    cluster: {
      server: `https://${name}.eks.example.internal`,
      kubeVersion: '1.33.0',
      apiVersions: [],
      storageClasses: [],
      autoMode: false,
      preInstalled: [],
    },
    argocd: { version: '3.5' },
    ingress: { groupName: name, scheme: 'internal' },
    secrets: { store: 's', prefix: `berth/${name}/` },
    sync: { automated: true, prune: true, selfHeal: true },
    imageUpdates: {},
    chartUpdates: {},
    addons: {},
    promotion: { mode: 'push', gates: { healthy: false, windows: [], freezes: [] } },
    ...overrides,
  };
}
const service = (name: string, environments: string[]): Service => ({
  name,
  kind: 'stateless',
  environments,
  dependsOn: [],
  imageUpdates: {},
  pins: {},
});

describe('namespaceProblem', () => {
  it.each(['default', 'kube-system', 'kube-public', 'kube-node-lease', 'argocd'])('refuses %s', (namespace) => {
    expect(namespaceProblem(namespace, settings)).toMatch(/system namespace|Argo CD runs in/);
  });
  it.each(['dev', 'payments-prod', 'kube-systems'])('accepts %s', (namespace) =>
    expect(namespaceProblem(namespace, settings)).toBeUndefined(),
  );
});

describe('clusterProblem', () => {
  it.each([
    ['*', /pattern|not a URL/],
    ['https://*.eks.amazonaws.com', /pattern/],
    ['http://dev.eks.example.internal', /uses http/],
    ['file:///etc/kubernetes/admin.conf', /uses file/],
    ['https://169.254.169.254', /link-local/],
    ['https://[fe80::1]:6443', /link-local/],
    ['https://0.0.0.0:6443', /unspecified/],
    ['https://user:token@dev.eks.example.internal', /credentials/],
    ['https://dev.eks.example.internal?x=1', /query/],
    ['dev.eks.example.internal', /not a URL/],
  ])('refuses server %s', (server, problem) => expect(clusterProblem({ server })?.problem).toMatch(problem));
  it.each(['https://kubernetes.default.svc', 'https://ABC.gr7.eu-west-1.eks.amazonaws.com', 'https://127.0.0.1:6443'])(
    'accepts server %s',
    (server) => {
      expect(clusterProblem({ server })).toBeUndefined();
    },
  );
  it.each(['*', 'prod-*', 'dev cluster'])('refuses cluster name %s', (name) =>
    expect(clusterProblem({ name })?.field).toBe('cluster.name'),
  );
  it('accepts a registered cluster name', () => expect(clusterProblem({ name: 'in-cluster' })).toBeUndefined());
});

describe('checkTenancy', () => {
  it('accepts environments of their own', () => {
    expect(() =>
      checkTenancy(settings, [env('dev'), env('stage'), env('prod')], [service('service-a', ['dev', 'stage', 'prod'])]),
    ).not.toThrow();
  });
  it("refuses an environment whose AppProject is another environment's", () => {
    expect(() => checkTenancy(settings, [env('dev'), env('dev-cluster')], [])).toThrow(
      /environments\/dev-cluster\/env.yaml: name: makes the Argo CD AppProject "dev-cluster", which environment dev \(cluster project\)/,
    );
    expect(() => checkTenancy(settings, [env('dev'), env('dev-root')], [])).toThrow(/AppProject "dev-root"/);
  });
  it('refuses a service whose Application another environment already makes', () => {
    expect(() =>
      checkTenancy(
        settings,
        [env('dev'), env('dev-service')],
        [service('a', ['dev-service']), service('service-a', ['dev'])],
      ),
    ).toThrow(
      /apps\/service-a\/app.yaml: name: makes the Argo CD Application "dev-service-a", which service a in dev-service already makes/,
    );
  });
  it("refuses a service whose Application is an environment's own", () => {
    expect(() => checkTenancy(settings, [env('dev'), env('dev-cluster-base', { namespace: 'x' })], [])).not.toThrow();
    expect(() => checkTenancy(settings, [env('dev'), env('dev-cluster')], [])).toThrow(/AppProject/);
  });
  it('refuses two environments in one namespace of one cluster, and allows it on different clusters', () => {
    const same = {
      server: 'https://one.example.internal',
      kubeVersion: '1.33.0',
      apiVersions: [],
      storageClasses: [],
      autoMode: false,
      preInstalled: [],
    };
    expect(() =>
      checkTenancy(
        settings,
        [env('dev', { cluster: same, namespace: 'apps' }), env('qa', { cluster: same, namespace: 'apps' })],
        [],
      ),
    ).toThrow(/environments\/qa\/env.yaml: namespace: "apps" on the same cluster is environment dev's namespace/);
    expect(() =>
      checkTenancy(settings, [env('dev', { namespace: 'apps' }), env('qa', { namespace: 'apps' })], []),
    ).not.toThrow();
  });
  it('refuses a system namespace with the fix', () => {
    expect(() => checkTenancy(settings, [env('dev', { namespace: 'kube-system' })], [])).toThrow(
      /namespace: "kube-system" is a Kubernetes system namespace.*\nFix: set namespace: dev/,
    );
  });
});
