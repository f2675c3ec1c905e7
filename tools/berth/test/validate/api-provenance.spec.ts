// api-provenance: every API kind an environment renders is served there, by an add-on of that environment,
// pre-installed or built in; and an add-on's rendered chart serves what its app.yaml declares.
import { describe, expect, it } from 'vitest';
import { apiProvenanceRule } from '../../src/validate/rules/api-provenance';
import type { KubeObject } from '../../src/validate/context';
import { isAddon, type Environment } from '../../src/workspace/model';
import { BUILT_IN_API_VERSIONS, PROMETHEUS_OPERATOR, addon, platformAddons } from './addons';
import type { Platform } from './fixtures';
import { describeRule, findingsAfter } from './table';

const envOf = (p: Platform, name: string): Environment =>
  p.context.workspace.environments.find((env) => env.name === name)!;
const addonOf = (p: Platform, name: string) =>
  p.context.workspace.services.filter(isAddon).find((service) => service.name === name)!;

/** The platform after issue 11: env.yaml lists built-in API versions only, add-ons serve the CRD groups. */
const withAddons = (p: Platform) => {
  for (const env of p.context.workspace.environments) env.cluster.apiVersions = [...BUILT_IN_API_VERSIONS];
  p.context.workspace.services.push(...platformAddons());
};
const onlyIn = (name: string, environments: string[]) => (p: Platform) =>
  (addonOf(p, name).environments = environments);

const crd = (group: string, kind: string, plural: string, versions: { name: string; served?: boolean }[]) => ({
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: `${plural}.${group}` },
  spec: {
    group,
    names: { kind, plural, singular: kind.toLowerCase(), listKind: `${kind}List` },
    scope: 'Namespaced',
    versions: versions.map((version) => ({ served: true, storage: true, ...version, schema: { openAPIV3Schema: {} } })),
  },
});
const PROMETHEUS_CRDS = [
  crd('monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors', [{ name: 'v1' }]),
  crd('monitoring.coreos.com', 'PodMonitor', 'podmonitors', [{ name: 'v1' }]),
  crd('monitoring.coreos.com', 'PrometheusRule', 'prometheusrules', [{ name: 'v1' }]),
  crd('monitoring.coreos.com', 'Prometheus', 'prometheuses', [{ name: 'v1' }]),
  crd('monitoring.coreos.com', 'Alertmanager', 'alertmanagers', [{ name: 'v1' }]),
];
/** kube-prometheus-stack's Application in dev, rendered (its chart was at hand): its CRDs and a Deployment. */
const renderedPrometheus =
  (crds: KubeObject[] = PROMETHEUS_CRDS, env = 'dev') =>
  (p: Platform) =>
    p.context.renders
      .find((render) => render.environment.name === env)!
      .applications.push({
        application: `${env}-kube-prometheus-stack`,
        service: 'kube-prometheus-stack',
        project: `${env}-addons`,
        objects: [
          ...structuredClone(crds),
          { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'kube-prometheus-stack-operator' } },
        ],
      });
const serviceMonitors = (env: string) =>
  ['postgres', 'service-a', 'service-b', 'service-c'].map((service) => ({
    environment: env,
    application: `${env}-${service}`,
    object: `ServiceMonitor/${service}`,
    field: 'apiVersion',
  }));
const all =
  (...changes: ((p: Platform) => void)[]) =>
  (p: Platform) =>
    changes.forEach((change) => change(p));

describeRule(apiProvenanceRule, {
  accepts: [
    { name: 'the platform with its add-ons and built-in API versions only', change: withAddons },
    {
      name: 'a ServiceMonitor in prod, where env.yaml lists it pre-installed',
      change: all(withAddons, onlyIn('kube-prometheus-stack', ['dev']), (p) =>
        envOf(p, 'prod').cluster.preInstalled.push('monitoring.coreos.com/v1/ServiceMonitor'),
      ),
    },
    {
      name: "Argo CD's own kinds, which live on the Argo CD cluster",
      change: all(withAddons, (p) =>
        p.app('dev', 'service-a').objects.push({
          apiVersion: 'argoproj.io/v1alpha1',
          kind: 'Application',
          metadata: { name: 'x' },
        }),
      ),
    },
    {
      name: 'a CRD group/version env.yaml still lists while no add-on of the repository serves it',
      change: (p) =>
        p.app('dev', 'service-a').objects.push({ apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'TargetGroupBinding' }),
    },
    {
      name: 'a rendered add-on chart whose CRDs are exactly its serves',
      change: all(withAddons, renderedPrometheus()),
    },
    {
      name: 'a rendered add-on chart that serves a version only as not served (served: false)',
      change: all(
        withAddons,
        renderedPrometheus([
          ...PROMETHEUS_CRDS.slice(1),
          crd('monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors', [
            { name: 'v1' },
            { name: 'v1alpha1', served: false },
          ]),
        ]),
      ),
    },
    {
      name: 'a rendered CRD without a group or kind, which berth could not write into serves',
      change: all(
        withAddons,
        renderedPrometheus([
          ...PROMETHEUS_CRDS,
          {
            apiVersion: 'apiextensions.k8s.io/v1',
            kind: 'CustomResourceDefinition',
            spec: { names: { kind: 'Orphan' }, versions: [{ name: 'v1' }] },
          },
          { ...crd('x.io', 'Thing', 'things', [{ name: 'v1' }]), spec: { group: 'x.io', versions: [{ name: 'v1' }] } },
        ]),
      ),
    },
    {
      name: 'an add-on Application with no objects (its chart is not cached, so nothing rendered)',
      change: all(withAddons, renderedPrometheus([]), (p) => (p.app('dev', 'kube-prometheus-stack').objects = [])),
    },
    {
      name: 'an aggregated API (metrics-server APIService) that serves declares by group/version',
      change: all(withAddons, (p) =>
        p.context.renders[0].applications.push({
          application: 'dev-metrics-server',
          service: 'metrics-server',
          project: 'dev-addons',
          objects: [
            {
              apiVersion: 'apiregistration.k8s.io/v1',
              kind: 'APIService',
              metadata: { name: 'v1beta1.metrics.k8s.io' },
              spec: {
                group: 'metrics.k8s.io',
                version: 'v1beta1',
                service: { name: 'metrics-server', namespace: 'kube-system' },
              },
            },
          ],
        }),
      ),
    },
  ],
  rejects: [
    {
      name: 'a ServiceMonitor in prod without a Prometheus Operator add-on there',
      change: all(withAddons, onlyIn('kube-prometheus-stack', ['dev'])),
      finding: serviceMonitors('prod'),
      message: /^monitoring\.coreos\.com\/v1 ServiceMonitor is served by no add-on of prod\.$/,
    },
    {
      // was the schema check's: the version is served by no add-on, and the one that serves another version is named
      name: 'an ExternalSecret at a version external-secrets does not serve',
      change: all(
        withAddons,
        (p) => (p.object('dev', 'service-b', 'ExternalSecret/service-b').apiVersion = 'external-secrets.io/v1beta1'),
      ),
      finding: {
        environment: 'dev',
        application: 'dev-service-b',
        object: 'ExternalSecret/service-b',
        field: 'apiVersion',
      },
      message: /external-secrets\.io\/v1beta1 ExternalSecret is served by no add-on of dev/,
    },
    {
      // was the schema check's: env.yaml no longer lists the CRD group, and no add-on of the repository serves it
      name: 'a CRD the prod cluster does not have, served by nothing in the repository',
      change: (p) => {
        const apiVersions = envOf(p, 'prod').cluster.apiVersions;
        apiVersions.splice(apiVersions.indexOf('monitoring.coreos.com/v1'), 1);
      },
      finding: serviceMonitors('prod'),
    },
    {
      name: 'the SecretStore of cluster-base where external-secrets does not run',
      change: all(withAddons, onlyIn('external-secrets', ['dev'])),
      finding: [
        ['cluster-base', 'SecretStore/aws-secrets-manager'],
        ['postgres', 'ExternalSecret/postgres'],
        ['service-b', 'ExternalSecret/service-b'],
      ].map(([service, object]) => ({
        environment: 'prod',
        application: `prod-${service}`,
        object,
        field: 'apiVersion',
      })),
    },
    {
      name: 'a TargetGroupBinding in an EKS Auto Mode environment, where the load balancer controller is left out',
      change: all(
        withAddons,
        (p) => (envOf(p, 'prod').cluster.autoMode = true),
        (p) =>
          p.app('prod', 'service-a').objects.push({
            apiVersion: 'elbv2.k8s.aws/v1beta1',
            kind: 'TargetGroupBinding',
            metadata: { name: 'service-a' },
          }),
      ),
      finding: {
        environment: 'prod',
        application: 'prod-service-a',
        object: 'TargetGroupBinding/service-a',
        field: 'apiVersion',
      },
    },
    {
      name: 'env.yaml still lists a CRD group/version an add-on of the environment serves',
      change: all(withAddons, (p) => envOf(p, 'dev').cluster.apiVersions.push('monitoring.coreos.com/v1')),
      finding: {
        environment: 'dev',
        object: 'environments/dev/env.yaml',
        field: `cluster.apiVersions[${BUILT_IN_API_VERSIONS.length}]`,
      },
      message: /lists monitoring\.coreos\.com\/v1, which is no built-in API: kube-prometheus-stack serves it/,
    },
    {
      name: 'env.yaml calls pre-installed what an add-on of the environment installs',
      change: all(withAddons, (p) => envOf(p, 'prod').cluster.preInstalled.push('monitoring.coreos.com/v1/PodMonitor')),
      finding: { environment: 'prod', object: 'environments/prod/env.yaml', field: 'cluster.preInstalled[0]' },
      message: /kube-prometheus-stack of prod installs it/,
    },
    {
      name: 'two add-ons of an environment serve the same kind',
      change: all(withAddons, (p) =>
        p.context.workspace.services.push(
          addon('prometheus-operator', ['monitoring.coreos.com/v1/ServiceMonitor'], { environments: ['dev'] }),
        ),
      ),
      finding: { environment: 'dev', object: 'apps/prometheus-operator/app.yaml', field: 'serves[0]' },
      message: /served by kube-prometheus-stack too in dev/,
    },
    {
      name: 'a rendered add-on chart that ships a CRD its serves omits',
      change: all(
        withAddons,
        renderedPrometheus([...PROMETHEUS_CRDS, crd('monitoring.coreos.com', 'Probe', 'probes', [{ name: 'v1' }])]),
      ),
      finding: {
        environment: 'dev',
        application: 'dev-kube-prometheus-stack',
        object: 'apps/kube-prometheus-stack/app.yaml',
        field: 'serves',
      },
      message:
        /omits monitoring\.coreos\.com\/v1\/Probe, which chart kube-prometheus-stack as rendered for dev serves \(CustomResourceDefinition probes\.monitoring\.coreos\.com\)/,
    },
    {
      name: 'serves lists a kind the rendered chart does not define',
      change: all(
        withAddons,
        renderedPrometheus(PROMETHEUS_CRDS.filter((object) => object.spec.names.kind !== 'PodMonitor')),
      ),
      finding: {
        environment: 'dev',
        application: 'dev-kube-prometheus-stack',
        object: 'apps/kube-prometheus-stack/app.yaml',
        field: `serves[${PROMETHEUS_OPERATOR.indexOf('monitoring.coreos.com/v1/PodMonitor')}]`,
      },
      message:
        /lists monitoring\.coreos\.com\/v1\/PodMonitor, which chart kube-prometheus-stack as rendered for dev does not define/,
    },
    {
      name: 'serves names a version the chart no longer serves, beside the one it does',
      change: all(
        withAddons,
        renderedPrometheus([
          ...PROMETHEUS_CRDS.slice(1),
          crd('monitoring.coreos.com', 'ServiceMonitor', 'servicemonitors', [
            { name: 'v1', served: false },
            { name: 'v2' },
          ]),
        ]),
      ),
      finding: [
        {
          environment: 'dev',
          application: 'dev-kube-prometheus-stack',
          object: 'apps/kube-prometheus-stack/app.yaml',
          field: 'serves[0]',
        },
        {
          environment: 'dev',
          application: 'dev-kube-prometheus-stack',
          object: 'apps/kube-prometheus-stack/app.yaml',
          field: 'serves',
        },
      ],
      message: /\(it serves monitoring\.coreos\.com\/v2\/ServiceMonitor\)/,
    },
  ],
});

describe('api-provenance findings say what to do', () => {
  it('names the add-on that serves the kind in other environments, and the pre-installed alternative', () => {
    const [finding] = findingsAfter(apiProvenanceRule, all(withAddons, onlyIn('kube-prometheus-stack', ['dev'])));
    expect(finding.fix).toBe(
      'add kube-prometheus-stack to prod (apps/kube-prometheus-stack/app.yaml environments), or list monitoring.coreos.com/v1/ServiceMonitor in environments/prod/env.yaml cluster.preInstalled.',
    );
  });

  it('clears once env.yaml lists the kinds pre-installed', () => {
    const findings = findingsAfter(
      apiProvenanceRule,
      all(withAddons, onlyIn('kube-prometheus-stack', ['dev']), (p) =>
        envOf(p, 'prod').cluster.preInstalled.push('monitoring.coreos.com/v1/ServiceMonitor'),
      ),
    );
    expect(findings).toEqual([]);
  });

  it('says when no add-on of the repository serves the kind', () => {
    const [finding] = findingsAfter(apiProvenanceRule, (p) => {
      const apiVersions = envOf(p, 'prod').cluster.apiVersions;
      apiVersions.splice(apiVersions.indexOf('monitoring.coreos.com/v1'), 1);
    });
    expect(finding.fix).toMatch(/^no add-on of this repository serves it: add one whose chart does \(nx g berth:addon/);
    expect(finding.fix).toContain('environments/prod/env.yaml cluster.preInstalled');
  });

  it('names the version an add-on of the environment does serve', () => {
    const [finding] = findingsAfter(
      apiProvenanceRule,
      all(
        withAddons,
        (p) => (p.object('dev', 'service-b', 'ExternalSecret/service-b').apiVersion = 'external-secrets.io/v1beta1'),
      ),
    );
    expect(finding.fix).toMatch(
      /^external-secrets serves external-secrets\.io\/v1\/ExternalSecret here: render that version/,
    );
  });

  it('names the add-on serving another version, where the chart fell back to an older one (no add-on there)', () => {
    // the library chart renders external-secrets.io/v1beta1 where the cluster does not serve external-secrets.io/v1
    const fellBack = findingsAfter(
      apiProvenanceRule,
      all(withAddons, onlyIn('external-secrets', ['dev']), (p) => {
        p.object('prod', 'service-b', 'ExternalSecret/service-b').apiVersion = 'external-secrets.io/v1beta1';
      }),
    ).find((finding) => finding.message.startsWith('external-secrets.io/v1beta1'))!;
    expect(fellBack).toMatchObject({ application: 'prod-service-b', object: 'ExternalSecret/service-b' });
    expect(fellBack.fix).toBe(
      'add external-secrets to prod (apps/external-secrets/app.yaml environments), which serves external-secrets.io/v1/ExternalSecret, or list external-secrets.io/v1beta1/ExternalSecret in environments/prod/env.yaml cluster.preInstalled.',
    );
  });

  it('explains that EKS Auto Mode left the serving add-on out', () => {
    const [finding] = findingsAfter(
      apiProvenanceRule,
      all(
        withAddons,
        (p) => (envOf(p, 'prod').cluster.autoMode = true),
        (p) =>
          p
            .app('prod', 'service-a')
            .objects.push({ apiVersion: 'elbv2.k8s.aws/v1beta1', kind: 'IngressClassParams', metadata: { name: 'x' } }),
      ),
    );
    expect(finding.fix).toMatch(
      /^aws-load-balancer-controller is left out of prod, which runs EKS Auto Mode \(cluster\.autoMode: true\) in its place: list elbv2\.k8s\.aws\/v1beta1\/IngressClassParams in environments\/prod\/env\.yaml cluster\.preInstalled/,
    );
  });

  it('reports only the selection, but knows every add-on of the workspace', () => {
    // validating service-a alone in prod: the other Applications are not in the selection
    const findings = findingsAfter(
      apiProvenanceRule,
      all(withAddons, onlyIn('kube-prometheus-stack', ['dev']), (p) => {
        for (const render of p.context.renders)
          render.applications = render.applications.filter((app) => app.service === 'service-a');
      }),
    );
    expect(findings.map((finding) => `${finding.application} ${finding.object}`)).toEqual([
      'prod-service-a ServiceMonitor/service-a',
    ]);
  });
});
