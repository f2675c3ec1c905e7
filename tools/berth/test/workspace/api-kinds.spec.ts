// servedApis: what an environment's cluster serves and who serves it, from env.yaml and the add-ons' app.yaml.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BerthError } from '../../src/errors';
import {
  legacyApiVersions,
  parseApiKind,
  parseGroupVersion,
  servedApis,
  type ServedBy,
} from '../../src/workspace/api-kinds';
import { BUILT_IN_KINDS } from '../../src/workspace/built-in-kinds';
import { loadEnvironment } from '../../src/workspace/load';
import type { Environment, Workspace } from '../../src/workspace/model';
import { addon, BUILT_IN_API_VERSIONS, platformAddons } from '../validate/addons';
import { environment, memoryFiles, settings } from '../validate/fixtures';

function env(name: 'dev' | 'prod', cluster: Partial<Environment['cluster']> = {}): Environment {
  const base = environment(name);
  return { ...base, cluster: { ...base.cluster, apiVersions: [...BUILT_IN_API_VERSIONS], ...cluster } };
}
const workspace = (services = platformAddons(), environments = [env('dev'), env('prod')]): Workspace => ({
  settings,
  environments,
  services,
});
const by = (served: Map<string, ServedBy>, key: string) => served.get(key);

describe('servedApis', () => {
  it.each([
    {
      name: 'built-ins only: the group/versions env.yaml lists and the kinds Kubernetes serves for them',
      workspace: workspace([]),
      env: env('dev'),
      has: { 'apps/v1/Deployment': { by: 'built-in' }, 'v1/ConfigMap': { by: 'built-in' } },
      hasNot: [
        'monitoring.coreos.com/v1/ServiceMonitor',
        'policy/v1beta1/PodDisruptionBudget',
        'apps/v1/DeploymentList',
      ],
      apiVersions: [...BUILT_IN_API_VERSIONS].sort(),
    },
    {
      name: 'an add-on of the environment contributes its serves, as group/version and group/version/Kind',
      workspace: workspace([addon('kube-prometheus-stack', ['monitoring.coreos.com/v1/ServiceMonitor'])]),
      env: env('dev'),
      has: { 'monitoring.coreos.com/v1/ServiceMonitor': { by: 'addon', addon: 'kube-prometheus-stack' } },
      hasNot: ['monitoring.coreos.com/v1/PodMonitor'],
      apiVersions: [
        ...BUILT_IN_API_VERSIONS,
        'monitoring.coreos.com/v1',
        'monitoring.coreos.com/v1/ServiceMonitor',
      ].sort(),
    },
    {
      name: 'an add-on of other environments only contributes nothing here',
      workspace: workspace([
        addon('kube-prometheus-stack', ['monitoring.coreos.com/v1/ServiceMonitor'], { environments: ['dev'] }),
      ]),
      env: env('prod'),
      has: {},
      hasNot: ['monitoring.coreos.com/v1/ServiceMonitor'],
      apiVersions: [...BUILT_IN_API_VERSIONS].sort(),
    },
    {
      name: 'EKS Auto Mode leaves out what it provides (the load balancer controller)',
      workspace: workspace(),
      env: env('prod', { autoMode: true }),
      has: { 'external-secrets.io/v1/SecretStore': { by: 'addon', addon: 'external-secrets' } },
      hasNot: ['elbv2.k8s.aws/v1beta1/TargetGroupBinding'],
    },
    {
      name: 'without Auto Mode the same add-on serves there',
      workspace: workspace(),
      env: env('prod'),
      has: { 'elbv2.k8s.aws/v1beta1/TargetGroupBinding': { by: 'addon', addon: 'aws-load-balancer-controller' } },
      hasNot: [],
    },
    {
      name: 'preInstalled kinds, group/version/Kind',
      workspace: workspace([]),
      env: env('prod', { preInstalled: ['cert-manager.io/v1/Certificate'] }),
      has: { 'cert-manager.io/v1/Certificate': { by: 'preInstalled' } },
      hasNot: ['cert-manager.io/v1/Issuer'],
      apiVersions: [...BUILT_IN_API_VERSIONS, 'cert-manager.io/v1', 'cert-manager.io/v1/Certificate'].sort(),
    },
    {
      name: 'an add-on of the environment owns a kind env.yaml also calls pre-installed',
      workspace: workspace([addon('external-secrets', ['external-secrets.io/v1/ExternalSecret'])]),
      env: env('dev', { preInstalled: ['external-secrets.io/v1/ExternalSecret'] }),
      has: { 'external-secrets.io/v1/ExternalSecret': { by: 'addon', addon: 'external-secrets' } },
      hasNot: [],
    },
    {
      name: 'a built-in beta env.yaml lists is served with its kinds',
      workspace: workspace([]),
      env: env('dev', { apiVersions: ['v1', 'policy/v1beta1'] }),
      has: { 'policy/v1beta1/PodDisruptionBudget': { by: 'built-in' } },
      hasNot: ['apps/v1/Deployment'],
      apiVersions: ['policy/v1beta1', 'v1'],
    },
    {
      name: 'a CRD group/version env.yaml still lists is passed to Helm but names no kind',
      workspace: workspace([]),
      env: env('dev', { apiVersions: ['v1', 'monitoring.coreos.com/v1'] }),
      has: {},
      hasNot: ['monitoring.coreos.com/v1/ServiceMonitor'],
      apiVersions: ['monitoring.coreos.com/v1', 'v1'],
    },
  ])('$name', ({ workspace, env, has, hasNot, apiVersions }) => {
    const served = servedApis(workspace, env);
    for (const [key, expected] of Object.entries(has)) expect(by(served.kinds, key)).toEqual(expected);
    for (const key of hasNot) expect(served.kinds.has(key)).toBe(false);
    if (apiVersions) expect(served.apiVersions).toEqual(apiVersions);
  });

  it('lists each entry once, sorted, however many add-ons and env.yaml entries name it', () => {
    const served = servedApis(
      workspace([addon('a', ['example.io/v1/Widget', 'example.io/v1/Gadget']), addon('b', ['example.io/v1/Widget'])]),
      env('dev', { apiVersions: ['v1', 'apps/v1', 'v1'], preInstalled: ['example.io/v1/Gadget'] }),
    );
    expect(served.apiVersions).toEqual([
      'apps/v1',
      'example.io/v1',
      'example.io/v1/Gadget',
      'example.io/v1/Widget',
      'v1',
    ]);
    expect(served.kinds.get('example.io/v1/Widget')).toEqual({ by: 'addon', addon: 'a' });
    expect(served.kinds.get('example.io/v1/Gadget')).toEqual({ by: 'addon', addon: 'a' });
  });

  it.each([
    {
      name: 'a serves entry without a kind',
      serves: ['monitoring.coreos.com/v1'],
      field: 'serves[0]',
      file: 'apps/x/app.yaml',
    },
    {
      name: 'a serves entry with a newline',
      serves: ['a.io/v1/A', 'a.io/v1/B\n- x'],
      field: 'serves[1]',
      file: 'apps/x/app.yaml',
    },
    {
      name: 'a preInstalled entry in lower case',
      preInstalled: ['cert-manager.io/v1/certificate'],
      field: 'cluster.preInstalled[0]',
      file: 'environments/dev/env.yaml',
    },
    {
      name: 'an apiVersions entry that is no version',
      apiVersions: ['v1', 'apps/latest'],
      field: 'cluster.apiVersions[1]',
      file: 'environments/dev/env.yaml',
    },
  ])('refuses $name, naming the file and field', ({ serves, preInstalled, apiVersions, field, file }) => {
    const attempt = () =>
      servedApis(
        workspace(serves ? [addon('x', serves)] : []),
        env('dev', { preInstalled: preInstalled ?? [], apiVersions: apiVersions ?? ['v1'] }),
      );
    expect(attempt).toThrow(BerthError);
    try {
      attempt();
    } catch (error) {
      expect(error).toMatchObject({ file, field });
      expect((error as BerthError).fix).toMatch(/write it like|list the built-in/);
    }
  });
});

describe('API kind grammar', () => {
  it.each([
    [
      'monitoring.coreos.com/v1/ServiceMonitor',
      { group: 'monitoring.coreos.com', version: 'v1', kind: 'ServiceMonitor' },
    ],
    ['v1/Pod', { group: '', version: 'v1', kind: 'Pod' }],
    [
      'elbv2.k8s.aws/v1beta1/TargetGroupBinding',
      { group: 'elbv2.k8s.aws', version: 'v1beta1', kind: 'TargetGroupBinding' },
    ],
    ['monitoring.coreos.com/v1', undefined],
    ['Monitoring.coreos.com/v1/ServiceMonitor', undefined],
    ['monitoring.coreos.com/1/ServiceMonitor', undefined],
    ['../v1/Escape', undefined],
    ['a.io/v1/Kind/extra', undefined],
  ])('%s', (text, expected) => expect(parseApiKind(text)).toEqual(expected));

  it('reads group/versions, the core group included', () => {
    expect(parseGroupVersion('v1')).toEqual({ group: '', version: 'v1' });
    expect(parseGroupVersion('policy/v1beta1')).toEqual({ group: 'policy', version: 'v1beta1' });
    expect(parseGroupVersion('v1/Pod')).toBeUndefined();
  });

  it('tells the CRD group/versions env.yaml still lists from the built-in ones', () => {
    expect(
      legacyApiVersions(
        env('dev', {
          apiVersions: [
            'v1',
            'apps/v1',
            'metrics.k8s.io/v1beta1',
            'monitoring.coreos.com/v1',
            'gateway.networking.k8s.io/v1',
          ],
        }),
      ),
    ).toEqual(['metrics.k8s.io/v1beta1', 'monitoring.coreos.com/v1', 'gateway.networking.k8s.io/v1']);
  });
});

describe('the built-in kinds table', () => {
  // the table is kubernetes-models' own list: every class with a static apiVersion and kind, List kinds left out
  it('is what the kubernetes-models package serves, group/version by group/version', () => {
    const root = dirname(require.resolve('kubernetes-models/package.json'));
    const derived: Record<string, string[]> = {};
    const groupVersions = readdirSync(root)
      .filter((entry) => !entry.startsWith('_') && statSync(join(root, entry)).isDirectory())
      .flatMap((group) =>
        /^v\d/.test(group)
          ? [group]
          : readdirSync(join(root, group))
              .filter((version) => statSync(join(root, group, version)).isDirectory())
              .map((version) => `${group}/${version}`),
      );
    for (const groupVersion of groupVersions) {
      const module = require(`kubernetes-models/${groupVersion}`) as Record<
        string,
        { apiVersion?: string; kind?: string }
      >;
      const kinds = new Set(
        Object.values(module)
          .filter((model) => model?.apiVersion === groupVersion && model.kind && !model.kind.endsWith('List'))
          .map((model) => model.kind!),
      );
      if (kinds.size) derived[groupVersion] = [...kinds].sort();
    }
    expect(Object.keys(derived).length).toBeGreaterThan(40);
    expect(derived['apps/v1']).toEqual(['ControllerRevision', 'DaemonSet', 'Deployment', 'ReplicaSet', 'StatefulSet']);
    expect(BUILT_IN_KINDS).toEqual(derived);
  }, 60_000);

  it('covers every kind berth renders', () => {
    for (const [groupVersion, kind] of [
      ['v1', 'Namespace'],
      ['v1', 'ServiceAccount'],
      ['v1', 'ConfigMap'],
      ['v1', 'Service'],
      ['v1', 'PersistentVolumeClaim'],
      ['apps/v1', 'Deployment'],
      ['apps/v1', 'StatefulSet'],
      ['batch/v1', 'CronJob'],
      ['autoscaling/v2', 'HorizontalPodAutoscaler'],
      ['policy/v1', 'PodDisruptionBudget'],
      ['networking.k8s.io/v1', 'Ingress'],
      ['networking.k8s.io/v1', 'NetworkPolicy'],
      ['storage.k8s.io/v1', 'StorageClass'],
      ['rbac.authorization.k8s.io/v1', 'Role'],
      ['apiextensions.k8s.io/v1', 'CustomResourceDefinition'],
      ['admissionregistration.k8s.io/v1', 'ValidatingWebhookConfiguration'],
      ['apiregistration.k8s.io/v1', 'APIService'],
    ])
      expect(BUILT_IN_KINDS[groupVersion]).toContain(kind);
  });
});

describe('env.yaml cluster.preInstalled as the workspace loads', () => {
  const envYaml = readFileSync(join(__dirname, '../../../../environments/prod/env.yaml'), 'utf8');
  it('starts from the example, which lists nothing pre-installed', () => {
    expect(envYaml).toMatch(/^  preInstalled: \[\]$/m);
  });

  const load = (preInstalled: string) =>
    loadEnvironment(
      memoryFiles(
        new Map([
          [
            'environments/prod/env.yaml',
            envYaml.replace(/^  preInstalled: \[\]$/m, () => `  preInstalled: ${preInstalled}`),
          ],
        ]),
      ),
      'prod',
    );

  it('reads group/version/Kind entries', () => {
    expect(load('[cert-manager.io/v1/Certificate, v1/Pod]').cluster.preInstalled).toEqual([
      'cert-manager.io/v1/Certificate',
      'v1/Pod',
    ]);
  });

  it.each(['[monitoring.coreos.com/v1]', '["a.io/v1/Kind\\n- injected"]', '[cert-manager.io/v1/certificate]'])(
    'refuses %s, naming the file, the entry and the form',
    (entries) => {
      expect(() => load(entries)).toThrow(BerthError);
      try {
        load(entries);
      } catch (error) {
        expect(error).toMatchObject({ file: 'environments/prod/env.yaml', field: 'cluster.preInstalled[0]' });
        expect((error as BerthError).fix).toMatch(/write it like cert-manager\.io\/v1\/Certificate/);
      }
    },
  );
});
