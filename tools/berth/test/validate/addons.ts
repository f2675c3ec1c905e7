// Add-ons for tests, as app.yaml of kind addon declares them (docs/addons.md): the ones the example platform installs.
import type { AddonSpec, Service } from '../../src/workspace/model';

export function addon(
  name: string,
  serves: string[],
  options: { environments?: string[]; providedByAutoMode?: boolean; chart?: string } = {},
): Service & { addon: AddonSpec } {
  return {
    name,
    kind: 'addon',
    owner: 'platform',
    environments: options.environments ?? ['dev', 'prod'],
    dependsOn: [],
    imageUpdates: {},
    pins: {},
    addon: {
      chart: { name: options.chart ?? name, repo: `https://charts.example.test/${name}` },
      namespace: name,
      serverSideApply: true,
      serves,
      clusterKinds: ['apiextensions.k8s.io/CustomResourceDefinition'],
      namespacedKinds: ['apps/Deployment'],
      providedByAutoMode: options.providedByAutoMode ?? false,
      environmentValues: {},
      chartUpdates: {},
    },
  };
}

export const PROMETHEUS_OPERATOR = [
  'monitoring.coreos.com/v1/ServiceMonitor',
  'monitoring.coreos.com/v1/PodMonitor',
  'monitoring.coreos.com/v1/PrometheusRule',
  'monitoring.coreos.com/v1/Prometheus',
  'monitoring.coreos.com/v1/Alertmanager',
];
export const EXTERNAL_SECRETS = [
  'external-secrets.io/v1/ExternalSecret',
  'external-secrets.io/v1/SecretStore',
  'external-secrets.io/v1/ClusterSecretStore',
];
export const LOAD_BALANCER_CONTROLLER = [
  'elbv2.k8s.aws/v1beta1/TargetGroupBinding',
  'elbv2.k8s.aws/v1beta1/IngressClassParams',
];

/** The example platform's add-ons that serve API kinds. */
export const platformAddons = (environments = ['dev', 'prod']) => [
  addon('aws-load-balancer-controller', LOAD_BALANCER_CONTROLLER, { environments, providedByAutoMode: true }),
  addon('external-secrets', EXTERNAL_SECRETS, { environments }),
  addon('kube-prometheus-stack', PROMETHEUS_OPERATOR, { environments }),
  addon('metrics-server', ['metrics.k8s.io/v1beta1/NodeMetrics', 'metrics.k8s.io/v1beta1/PodMetrics'], {
    environments,
  }),
];

/** env.yaml cluster.apiVersions as the example lists them since add-ons serve the CRDs: built-in group/versions only. */
export const BUILT_IN_API_VERSIONS = [
  'v1',
  'apps/v1',
  'batch/v1',
  'autoscaling/v2',
  'policy/v1',
  'networking.k8s.io/v1',
  'storage.k8s.io/v1',
  'rbac.authorization.k8s.io/v1',
];
